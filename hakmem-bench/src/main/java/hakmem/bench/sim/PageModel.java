package hakmem.bench.sim;

import java.util.ArrayDeque;

/**
 * The simulated OS's page table: which pages are mapped and resident, as a pure, deterministic function of the calls
 * it is given. A mapped page is clean (not resident) until written ({@link #touched}: a page fault, which costs
 * {@link SimConfig#faultNanos()} of virtual time); {@code MADV_DONTNEED} makes it clean at once; {@code MADV_FREE}
 * makes it lazily free: still resident (as Linux counts it) until memory pressure drops it, and a write before that
 * takes it back without a fault. Pressure: while resident pages exceed {@link SimConfig#memoryBytes()}, the oldest
 * lazily free pages are dropped.
 */
final class PageModel {
    static final byte UNMAPPED = 0;
    static final byte CLEAN = 1;
    static final byte RESIDENT = 2;
    static final byte LAZY = 3;

    private final byte[] state;
    private final long limitPages;
    private final long faultNanos;
    private final SimClock clock;
    private final ArrayDeque<Integer> lazyQueue = new ArrayDeque<>();
    private long resident;
    private long faults;
    private long dropped;

    PageModel(int pages, long pageSize, SimConfig cfg, SimClock clock) {
        this.state = new byte[pages];
        this.limitPages = cfg.memoryBytes() == 0 ? Long.MAX_VALUE : cfg.memoryBytes() / pageSize;
        this.faultNanos = cfg.faultNanos();
        this.clock = clock;
    }

    int pages() {
        return state.length;
    }

    void map(int from, int n) {
        for (int p = from; p < from + n; p++) {
            if (state[p] != UNMAPPED) {
                throw new IllegalStateException("page " + p + " mapped twice");
            }
            state[p] = CLEAN;
        }
    }

    void unmap(int from, int n) {
        for (int p = from; p < from + n; p++) {
            if (state[p] == RESIDENT || state[p] == LAZY) {
                resident--;
            }
            state[p] = UNMAPPED;
        }
    }

    /** The program wrote page {@code p}: a fault if it was clean. */
    void touched(int p) {
        byte s = state[p];
        if (s == CLEAN) {
            state[p] = RESIDENT;
            resident++;
            faults++;
            clock.advance(faultNanos);
            pressure();
        } else if (s == LAZY) {
            state[p] = RESIDENT; // a write cancels MADV_FREE: no fault
        }
    }

    void dontNeed(int from, int n) {
        for (int p = from; p < from + n; p++) {
            if (state[p] == RESIDENT || state[p] == LAZY) {
                resident--;
                state[p] = CLEAN;
            }
        }
    }

    void free(int from, int n) {
        for (int p = from; p < from + n; p++) {
            if (state[p] == RESIDENT) {
                state[p] = LAZY;
                lazyQueue.addLast(p);
            }
        }
        pressure();
    }

    private void pressure() {
        while (resident > limitPages && !lazyQueue.isEmpty()) {
            int p = lazyQueue.pollFirst();
            if (state[p] == LAZY) {
                state[p] = CLEAN;
                resident--;
                dropped++;
            }
        }
    }

    byte state(int p) {
        return state[p];
    }

    long residentIn(int from, int n) {
        long c = 0;
        for (int p = from; p < from + n; p++) {
            if (state[p] == RESIDENT || state[p] == LAZY) {
                c++;
            }
        }
        return c;
    }

    long resident() {
        return resident;
    }

    long faults() {
        return faults;
    }

    /** Lazily free pages dropped by memory pressure. */
    long dropped() {
        return dropped;
    }
}
