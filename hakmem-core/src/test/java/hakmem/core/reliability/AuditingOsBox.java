package hakmem.core.reliability;

import hakmem.api.spi.Advice;
import hakmem.api.spi.OsBox;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An {@link OsBox} for tests: it forwards to a real primitive ({@link NativeOsBox}), and
 * <ul>
 *   <li><b>injects faults</b>: the n-th next call of an operation (and optionally the ones after it) fails with a
 *       chosen errno without reaching the kernel;</li>
 *   <li><b>audits the core</b>: it keeps the set of ranges the core mapped and records a violation (and refuses
 *       the call with EINVAL instead of touching memory) when the core unmaps, advises or inspects a range it did
 *       not map, or passes an unaligned address or length. When a {@link LiveBlocks} oracle is attached it also
 *       records any madvise over a block the test still holds (memory with live blocks must never be advised).</li>
 * </ul>
 * All methods are synchronized: the audit must see each call and its effect on the mapping set atomically.
 */
final class AuditingOsBox implements OsBox {

    enum Op { MMAP, MUNMAP, MADVISE, MINCORE }

    /** Answers whether a range holds a block the test still considers live; null if none does. */
    interface LiveBlocks {
        String liveBlockIn(long address, long length);
    }

    private static final class Fault {
        long skip;
        long times;
        final int errno;

        Fault(long skip, long times, int errno) {
            this.skip = skip;
            this.times = times;
            this.errno = errno;
        }
    }

    private final OsBox real;
    private final long page;
    private final EnumMap<Op, Fault> faults = new EnumMap<>(Op.class);
    private final EnumMap<Op, long[]> tallies = new EnumMap<>(Op.class);
    /** Mapped ranges: start -> {end, generation}. Non-overlapping. */
    private final TreeMap<Long, long[]> mapped = new TreeMap<>();
    private final List<String> violations = new ArrayList<>();
    private long generation;
    private long mappedBytes;
    private volatile LiveBlocks liveBlocks;
    /** Injected failures per calling thread and op, so a concurrent test can tell whose call the OS refused. */
    private final ThreadLocal<long[]> threadInjected = ThreadLocal.withInitial(() -> new long[Op.values().length]);

    AuditingOsBox() {
        this(new NativeOsBox());
    }

    AuditingOsBox(OsBox real) {
        this.real = real;
        this.page = real.pageSize();
        for (Op op : Op.values()) {
            tallies.put(op, new long[3]); // calls, injected failures, real failures
        }
    }

    void attach(LiveBlocks oracle) {
        this.liveBlocks = oracle;
    }

    /**
     * From now on, let {@code skip} calls of {@code op} through, then fail the next {@code times} calls with
     * {@code errno} ({@code Long.MAX_VALUE}: until {@link #heal}).
     */
    synchronized void inject(Op op, long skip, long times, int errno) {
        faults.put(op, new Fault(skip, times, errno));
    }

    synchronized void heal(Op op) {
        faults.remove(op);
    }

    synchronized void healAll() {
        faults.clear();
    }

    synchronized long calls(Op op) {
        return tallies.get(op)[0];
    }

    synchronized long injected(Op op) {
        return tallies.get(op)[1];
    }

    /** Calls that reached the kernel and failed there (or were refused by the audit). */
    synchronized long realFailures(Op op) {
        return tallies.get(op)[2];
    }

    synchronized long failures(Op op) {
        return tallies.get(op)[1] + tallies.get(op)[2];
    }

    /** Injected failures of {@code op} in calls made by the current thread (since the box was made). */
    long injectedInThisThread(Op op) {
        return threadInjected.get()[op.ordinal()];
    }

    /** True while a fault of {@code op} is armed and has calls left to fail. */
    synchronized boolean armed(Op op) {
        Fault f = faults.get(op);
        return f != null && f.times > 0;
    }

    synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    synchronized long mappedBytes() {
        return mappedBytes;
    }

    synchronized int mappingCount() {
        return mapped.size();
    }

    /** The generation of the mapping holding {@code address}, or -1 if the address is not mapped now. */
    synchronized long generationAt(long address) {
        Map.Entry<Long, long[]> e = mapped.floorEntry(address);
        return e != null && address < e.getValue()[0] ? e.getValue()[1] : -1;
    }

    synchronized boolean isMapped(long address) {
        return generationAt(address) >= 0;
    }

    /** Every mapped range as {start, end}, for tests that look for addresses outside them. */
    synchronized List<long[]> ranges() {
        List<long[]> out = new ArrayList<>();
        mapped.forEach((s, v) -> out.add(new long[] {s, v[0]}));
        return out;
    }

    @Override
    public long pageSize() {
        return page;
    }

    @Override
    public synchronized long mmap(long length) {
        tallies.get(Op.MMAP)[0]++;
        if (length <= 0 || length % page != 0) {
            return refuse("mmap length " + length + " is not a positive multiple of the page size");
        }
        Integer injected = injectedErrno(Op.MMAP);
        if (injected != null) {
            return -injected;
        }
        long r = real.mmap(length);
        if (r < 0) {
            tallies.get(Op.MMAP)[2]++;
            return r;
        }
        mapped.put(r, new long[] {r + length, ++generation});
        mappedBytes += length;
        return r;
    }

    @Override
    public synchronized int munmap(long address, long length) {
        tallies.get(Op.MUNMAP)[0]++;
        String bad = checkRange("munmap", address, length);
        if (bad != null) {
            return (int) refuse(bad);
        }
        Integer injected = injectedErrno(Op.MUNMAP);
        if (injected != null) {
            return -injected;
        }
        int r = real.munmap(address, length);
        if (r < 0) {
            tallies.get(Op.MUNMAP)[2]++;
            return r;
        }
        unmapRange(address, address + length);
        return r;
    }

    @Override
    public synchronized int madvise(long address, long length, Advice advice) {
        tallies.get(Op.MADVISE)[0]++;
        String bad = checkRange("madvise(" + advice + ")", address, length);
        if (bad != null) {
            return (int) refuse(bad);
        }
        LiveBlocks oracle = liveBlocks;
        if (oracle != null) {
            String live = oracle.liveBlockIn(address, length);
            if (live != null) {
                return (int) refuse("madvise(" + advice + ") of [" + Reliability.hex(address) + ", +" + length
                        + ") would hit a live block: " + live);
            }
        }
        Integer injected = injectedErrno(Op.MADVISE);
        if (injected != null) {
            return -injected;
        }
        int r = real.madvise(address, length, advice);
        if (r < 0) {
            tallies.get(Op.MADVISE)[2]++;
        }
        return r;
    }

    @Override
    public synchronized long residentPages(long address, long length) {
        tallies.get(Op.MINCORE)[0]++;
        String bad = checkRange("mincore", address, length);
        if (bad != null) {
            return refuse(bad);
        }
        Integer injected = injectedErrno(Op.MINCORE);
        if (injected != null) {
            return -injected;
        }
        long r = real.residentPages(address, length);
        if (r < 0) {
            tallies.get(Op.MINCORE)[2]++;
        }
        return r;
    }

    private Integer injectedErrno(Op op) {
        Fault f = faults.get(op);
        if (f == null) {
            return null;
        }
        if (f.skip > 0) {
            f.skip--;
            return null;
        }
        if (f.times <= 0) {
            return null;
        }
        if (f.times != Long.MAX_VALUE) {
            f.times--;
        }
        tallies.get(op)[1]++;
        threadInjected.get()[op.ordinal()]++;
        return f.errno;
    }

    private long refuse(String why) {
        violations.add(why);
        return -NativeOsBox.EINVAL;
    }

    private String checkRange(String what, long address, long length) {
        if (address % page != 0 || length <= 0 || length % page != 0) {
            return what + " of [" + Reliability.hex(address) + ", +" + length + "): not page-aligned or empty";
        }
        long cur = address;
        long end = address + length;
        while (cur < end) {
            Map.Entry<Long, long[]> e = mapped.floorEntry(cur);
            if (e == null || e.getValue()[0] <= cur) {
                return what + " of [" + Reliability.hex(address) + ", +" + length + ") touches "
                        + Reliability.hex(cur) + ", which the allocator did not map";
            }
            cur = e.getValue()[0];
        }
        return null;
    }

    private void unmapRange(long start, long end) {
        Map.Entry<Long, long[]> e = mapped.floorEntry(start);
        if (e == null || e.getValue()[0] <= start) {
            e = mapped.higherEntry(start);
        }
        while (e != null && e.getKey() < end) {
            long s = e.getKey();
            long eEnd = e.getValue()[0];
            long gen = e.getValue()[1];
            mapped.remove(s);
            if (s < start) {
                mapped.put(s, new long[] {start, gen});
            }
            if (eEnd > end) {
                mapped.put(end, new long[] {eEnd, gen});
            }
            mappedBytes -= Math.min(eEnd, end) - Math.max(s, start);
            e = mapped.higherEntry(s);
        }
    }
}
