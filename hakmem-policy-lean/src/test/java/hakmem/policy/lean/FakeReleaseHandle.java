package hakmem.policy.lean;

import hakmem.api.spi.Advice;
import hakmem.api.spi.EmptySlab;
import hakmem.api.spi.ReleaseHandle;
import hakmem.api.spi.SizeClass;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model of the core's class pools for policy unit tests: empty slabs and fully empty superslabs per class, a
 * manual clock, and a log of every call that changes something. It releases what the real core would (oldest
 * empty first, idle time and keep amounts honoured) so tests can check the effect of a policy, not only its calls.
 */
final class FakeReleaseHandle implements ReleaseHandle {

    static final long SLAB = 64 * 1024;
    static final long SUPER = 2 * 1024 * 1024;

    /** The core's class table: C0..C7 = 8 B .. 1 KiB, then quarter steps 1280 B .. 32 KiB. */
    static final List<SizeClass> CLASSES = classTable();

    private final Set<String> declaredCounters;
    private final Map<Integer, List<Slab>> emptySlabs = new HashMap<>();
    private final Map<Integer, List<Long>> emptySuperSlabs = new HashMap<>();
    private final List<String> log = new ArrayList<>();
    private final Map<String, Long> counters = new LinkedHashMap<>();
    private long now = 1_000_000_000L;
    private long nextAddress = 0x7f00_0000_0000L;
    private boolean decommitEnabled = true;
    private long madvises;
    private long bytesDecommitted;
    private long superSlabsRetired;

    FakeReleaseHandle(Collection<String> declaredCounters) {
        this.declaredCounters = Set.copyOf(declaredCounters);
    }

    static List<SizeClass> classTable() {
        List<SizeClass> table = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            table.add(new SizeClass(i, 8L << i, SLAB, SUPER));
        }
        for (long size = 1280; size <= 32768; size += Long.highestOneBit(size) / 4) {
            table.add(new SizeClass(table.size(), size, SLAB, SUPER));
        }
        return List.copyOf(table);
    }

    // ---- events the tests drive ----

    /** A slab of the class becomes empty now (committed: it just held data). */
    EmptySlab slabEmptied(SizeClass c) {
        Slab s = new Slab(nextAddress, now);
        nextAddress += SLAB;
        slabs(c).add(s);
        return s.view(c);
    }

    /** The class takes an empty slab back into use: the core prefers the most recently emptied committed one. */
    void slabReused(SizeClass c) {
        List<Slab> list = slabs(c);
        for (int i = list.size() - 1; i >= 0; i--) {
            if (list.get(i).committed) {
                list.remove(i);
                return;
            }
        }
        list.removeLast();
    }

    /** A whole superslab of the class becomes empty now. */
    void superSlabEmptied(SizeClass c) {
        superSlabs(c).add(now);
    }

    /** The class takes a fully empty superslab back into use (the most recent). */
    void superSlabReused(SizeClass c) {
        superSlabs(c).removeLast();
    }

    void advanceMillis(long ms) {
        now += ms * 1_000_000L;
    }

    void disableDecommit() {
        decommitEnabled = false;
    }

    // ---- what tests inspect ----

    List<String> log() {
        return log;
    }

    long madvises() {
        return madvises;
    }

    long bytesDecommitted() {
        return bytesDecommitted;
    }

    long superSlabsRetired() {
        return superSlabsRetired;
    }

    long counter(String name) {
        return counters.getOrDefault(name, 0L);
    }

    int emptySuperSlabCount(SizeClass c) {
        return superSlabs(c).size();
    }

    int emptySlabCount(SizeClass c) {
        return slabs(c).size();
    }

    /** Empty committed slabs that have been empty for at least {@code ms}. */
    long committedEmptyOlderThanMillis(SizeClass c, long ms) {
        return slabs(c).stream().filter(s -> s.committed && now - s.since >= ms * 1_000_000L).count();
    }

    // ---- ReleaseHandle ----

    @Override
    public List<SizeClass> sizeClasses() {
        return CLASSES;
    }

    @Override
    public long emptyCommittedBytes(SizeClass c) {
        return slabs(c).stream().filter(s -> s.committed).count() * SLAB;
    }

    @Override
    public long committedBytes(SizeClass c) {
        return emptyCommittedBytes(c);
    }

    @Override
    public List<EmptySlab> emptySlabs(SizeClass c) {
        return slabs(c).stream().map(s -> s.view(c)).toList();
    }

    @Override
    public long decommitEmpty(SizeClass c, long keepBytes, long minIdleNanos, Advice advice) {
        log.add("decommitEmpty " + c.name() + " keep=" + keepBytes + " idle=" + minIdleNanos + " " + advice);
        if (!decommitEnabled) {
            return 0;
        }
        long committed = emptyCommittedBytes(c);
        long done = 0;
        for (Slab s : slabs(c)) {
            if (committed <= keepBytes) {
                break;
            }
            if (s.committed && now - s.since >= minIdleNanos) {
                s.committed = false;
                committed -= SLAB;
                done += SLAB;
                madvises++;
            }
        }
        bytesDecommitted += done;
        return done;
    }

    @Override
    public boolean decommit(EmptySlab slab, Advice advice) {
        log.add("decommit " + slab.sizeClass().name() + " " + Long.toHexString(slab.address()) + " " + advice);
        for (Slab s : slabs(slab.sizeClass())) {
            if (s.address == slab.address() && s.committed && decommitEnabled) {
                s.committed = false;
                madvises++;
                bytesDecommitted += SLAB;
                return true;
            }
        }
        return false;
    }

    @Override
    public int retireEmptySuperSlabs(SizeClass c, int keep, long minIdleNanos) {
        log.add("retire " + c.name() + " keep=" + keep + " idle=" + minIdleNanos);
        List<Long> list = superSlabs(c);
        int done = 0;
        for (Iterator<Long> it = list.iterator(); it.hasNext() && list.size() > keep; ) {
            if (now - it.next() >= minIdleNanos) {
                it.remove();
                done++;
            }
        }
        superSlabsRetired += done;
        return done;
    }

    @Override
    public boolean decommitEnabled() {
        return decommitEnabled;
    }

    @Override
    public void count(String counter, long delta) {
        if (!declaredCounters.contains(counter)) {
            throw new IllegalArgumentException("counter '" + counter + "' was not declared: " + declaredCounters);
        }
        if (delta < 0) {
            throw new IllegalArgumentException("counters only increase: " + counter + " += " + delta);
        }
        counters.merge(counter, delta, Long::sum);
    }

    @Override
    public long nanoTime() {
        return now;
    }

    private List<Slab> slabs(SizeClass c) {
        return emptySlabs.computeIfAbsent(c.index(), k -> new ArrayList<>());
    }

    private List<Long> superSlabs(SizeClass c) {
        return emptySuperSlabs.computeIfAbsent(c.index(), k -> new ArrayList<>());
    }

    private static final class Slab {
        final long address;
        final long since;
        boolean committed = true;

        Slab(long address, long since) {
            this.address = address;
            this.since = since;
        }

        EmptySlab view(SizeClass c) {
            return new EmptySlab(c, address, SLAB, since, committed);
        }
    }
}
