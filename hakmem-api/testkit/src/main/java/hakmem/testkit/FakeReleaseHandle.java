package hakmem.testkit;

import hakmem.api.spi.Advice;
import hakmem.api.spi.EmptySlab;
import hakmem.api.spi.PolicyPlugin;
import hakmem.api.spi.ReleaseHandle;
import hakmem.api.spi.SizeClass;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A model of the core's class pools for policy unit tests: empty slabs and fully empty superslabs per class, a
 * manual clock, and a log of every call that changes something. It releases what the real core would (oldest
 * empty first, idle time and keep amounts honoured), so a test can check the effect of a policy, not only its
 * calls.
 *
 * <p>A test drives the events ({@link #slabEmptied}, {@link #slabReused}, {@link #superSlabEmptied},
 * {@link #advanceMillis}, ...), calls the policy's callbacks with this handle, and inspects what was released
 * ({@link #bytesDecommitted()}, {@link #slabsDecommitted()}, {@link #superSlabsRetired()}, {@link #counter}).
 * Misuse the real core would reject or that would be wrong there (an undeclared counter, a negative argument, a
 * slab this handle never handed out) is recorded in {@link #violations()}; counting an undeclared counter also
 * throws, as the core does.
 *
 * <p>Thread-safe: every method is synchronized, so the contract's concurrency check can share one handle between
 * threads. The model is simpler than the core in one way: a superslab's emptiness is tracked apart from its
 * slabs (retiring one does not remove empty slabs).
 */
public final class FakeReleaseHandle implements ReleaseHandle {

    /** Bytes per slab, as in the core. */
    public static final long SLAB = 64 * 1024;
    /** Bytes per superslab, as in the core. */
    public static final long SUPER = 2 * 1024 * 1024;
    /** The core's class table: C0..C7 = 8 B .. 1 KiB, then quarter steps 1280 B .. 32 KiB (28 classes). */
    public static final List<SizeClass> CLASSES = classTable();

    private final Set<String> declaredCounters;
    private final Map<Integer, List<Slab>> emptySlabs = new HashMap<>();
    private final Map<Integer, List<Long>> emptySuperSlabs = new HashMap<>();
    private final List<String> log = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();
    private final Map<String, Long> counters = new LinkedHashMap<>();
    private long now = 1_000_000_000L;
    private long nextAddress = 0x7f00_0000_0000L;
    private boolean decommitEnabled = true;
    private long slabsDecommitted;
    private long bytesDecommitted;
    private long superSlabsRetired;
    /** When non-null, a handle call from a thread that is not inside a policy callback is a violation. */
    private ThreadLocal<int[]> callbackDepth;

    /** A handle that accepts the counters in {@code declaredCounters}. */
    public FakeReleaseHandle(Collection<String> declaredCounters) {
        this.declaredCounters = Set.copyOf(declaredCounters);
    }

    /** A handle that accepts the counters {@code plugin} declares. */
    public static FakeReleaseHandle forPlugin(PolicyPlugin plugin) {
        return new FakeReleaseHandle(plugin.counters());
    }

    private static List<SizeClass> classTable() {
        List<SizeClass> table = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            table.add(new SizeClass(i, 8L << i, SLAB, SUPER));
        }
        for (long size = 1280; size <= 32768; size += Long.highestOneBit(size) / 4) {
            table.add(new SizeClass(table.size(), size, SLAB, SUPER));
        }
        return List.copyOf(table);
    }

    // ---- events a test drives ----

    /** A slab of the class becomes empty now (committed: it just held data); pass the result to the policy. */
    public synchronized EmptySlab slabEmptied(SizeClass c) {
        Slab s = new Slab(nextAddress, now);
        nextAddress += SLAB;
        slabs(c).add(s);
        return s.view(c);
    }

    /**
     * The class takes an empty slab back into use: the core prefers the most recently emptied committed one.
     *
     * @throws IllegalStateException if the class has no empty slab
     */
    public synchronized void slabReused(SizeClass c) {
        List<Slab> list = slabs(c);
        if (list.isEmpty()) {
            throw new IllegalStateException("class " + c.name() + " has no empty slab to reuse");
        }
        for (int i = list.size() - 1; i >= 0; i--) {
            if (list.get(i).committed) {
                list.remove(i);
                return;
            }
        }
        list.removeLast();
    }

    /** A whole superslab of the class becomes empty now. */
    public synchronized void superSlabEmptied(SizeClass c) {
        superSlabs(c).add(now);
    }

    /**
     * The class takes a fully empty superslab back into use (the most recent).
     *
     * @throws IllegalStateException if the class has no fully empty superslab
     */
    public synchronized void superSlabReused(SizeClass c) {
        List<Long> list = superSlabs(c);
        if (list.isEmpty()) {
            throw new IllegalStateException("class " + c.name() + " has no empty superslab to reuse");
        }
        list.removeLast();
    }

    /** Moves the manual clock forward. */
    public synchronized void advanceMillis(long ms) {
        advanceNanos(TimeUnit.MILLISECONDS.toNanos(ms));
    }

    /** Moves the manual clock forward. */
    public synchronized void advanceNanos(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("the clock only moves forward: " + nanos + " ns");
        }
        now += nanos;
    }

    /** From now on decommit does nothing, as after a madvise error in the core (it never comes back). */
    public synchronized void disableDecommit() {
        decommitEnabled = false;
    }

    // ---- what a test inspects ----

    /** Every call that releases, in order: {@code decommitEmpty C3 keep=65536 idle=0 DONTNEED}, ... */
    public synchronized List<String> log() {
        return List.copyOf(log);
    }

    /** Misuse seen so far (empty for a well-behaved policy). */
    public synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    /** Slabs decommitted (one madvise each in the core). */
    public synchronized long slabsDecommitted() {
        return slabsDecommitted;
    }

    /** Same as {@link #slabsDecommitted()}: the core makes one madvise per slab. */
    public synchronized long madvises() {
        return slabsDecommitted;
    }

    public synchronized long bytesDecommitted() {
        return bytesDecommitted;
    }

    public synchronized long superSlabsRetired() {
        return superSlabsRetired;
    }

    /** A counter's value (0 if never counted). */
    public synchronized long counter(String name) {
        return counters.getOrDefault(name, 0L);
    }

    /** Every counter the policy bumped, with its value. */
    public synchronized Map<String, Long> counters() {
        return Map.copyOf(counters);
    }

    public synchronized int emptySuperSlabCount(SizeClass c) {
        return superSlabs(c).size();
    }

    public synchronized int emptySlabCount(SizeClass c) {
        return slabs(c).size();
    }

    /** Empty committed slabs that have been empty for at least {@code ms}. */
    public synchronized long committedEmptyOlderThanMillis(SizeClass c, long ms) {
        return slabs(c).stream().filter(s -> s.committed && now - s.since >= ms * 1_000_000L).count();
    }

    // ---- ReleaseHandle ----

    @Override
    public synchronized List<SizeClass> sizeClasses() {
        guard("sizeClasses");
        return CLASSES;
    }

    @Override
    public synchronized long emptyCommittedBytes(SizeClass c) {
        guard("emptyCommittedBytes");
        return known(c, "emptyCommittedBytes") ? committedEmpty(c) : 0;
    }

    @Override
    public synchronized long committedBytes(SizeClass c) {
        guard("committedBytes");
        return known(c, "committedBytes") ? committedEmpty(c) : 0;
    }

    @Override
    public synchronized List<EmptySlab> emptySlabs(SizeClass c) {
        guard("emptySlabs");
        return known(c, "emptySlabs") ? slabs(c).stream().map(s -> s.view(c)).toList() : List.of();
    }

    @Override
    public synchronized long decommitEmpty(SizeClass c, long keepBytes, long minIdleNanos, Advice advice) {
        guard("decommitEmpty");
        log.add("decommitEmpty " + (c == null ? "null" : c.name()) + " keep=" + keepBytes + " idle=" + minIdleNanos
                + " " + advice);
        if (!known(c, "decommitEmpty") || advice == null && violation("decommitEmpty: advice is null")
                || keepBytes < 0 && violation("decommitEmpty: negative keepBytes " + keepBytes)
                || minIdleNanos < 0 && violation("decommitEmpty: negative minIdleNanos " + minIdleNanos)) {
            return 0;
        }
        if (!decommitEnabled) {
            return 0;
        }
        long committed = committedEmpty(c);
        long done = 0;
        for (Slab s : slabs(c)) {
            if (committed <= keepBytes) {
                break;
            }
            if (s.committed && now - s.since >= minIdleNanos) {
                s.committed = false;
                committed -= SLAB;
                done += SLAB;
                slabsDecommitted++;
            }
        }
        bytesDecommitted += done;
        return done;
    }

    @Override
    public synchronized boolean decommit(EmptySlab slab, Advice advice) {
        guard("decommit");
        if (slab == null) {
            violation("decommit: slab is null");
            return false;
        }
        log.add("decommit " + slab.sizeClass().name() + " " + Long.toHexString(slab.address()) + " " + advice);
        if (advice == null) {
            violation("decommit: advice is null");
            return false;
        }
        if (!known(slab.sizeClass(), "decommit")) {
            return false;
        }
        for (Slab s : slabs(slab.sizeClass())) {
            if (s.address == slab.address()) {
                if (!s.committed || !decommitEnabled) {
                    return false;
                }
                s.committed = false;
                slabsDecommitted++;
                bytesDecommitted += SLAB;
                return true;
            }
        }
        if (slab.address() < 0x7f00_0000_0000L || slab.address() >= nextAddress) {
            violation("decommit: slab " + Long.toHexString(slab.address()) + " was never handed out by the handle");
        }
        return false; // reused since the policy's snapshot: not empty any more
    }

    @Override
    public synchronized int retireEmptySuperSlabs(SizeClass c, int keep, long minIdleNanos) {
        guard("retireEmptySuperSlabs");
        log.add("retire " + (c == null ? "null" : c.name()) + " keep=" + keep + " idle=" + minIdleNanos);
        if (!known(c, "retireEmptySuperSlabs") || keep < 0 && violation("retireEmptySuperSlabs: negative keep " + keep)
                || minIdleNanos < 0 && violation("retireEmptySuperSlabs: negative minIdleNanos " + minIdleNanos)) {
            return 0;
        }
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
    public synchronized boolean decommitEnabled() {
        guard("decommitEnabled");
        return decommitEnabled;
    }

    /**
     * Adds to a declared counter.
     *
     * @throws IllegalArgumentException for a counter the plugin did not declare or a negative delta (the core
     *                                  rejects both)
     */
    @Override
    public synchronized void count(String counter, long delta) {
        guard("count");
        if (!declaredCounters.contains(counter)) {
            violation("count: counter '" + counter + "' was not declared in PolicyPlugin.counters() " + declaredCounters);
            throw new IllegalArgumentException("counter '" + counter + "' was not declared: " + declaredCounters);
        }
        if (delta < 0) {
            violation("count: counters only increase: " + counter + " += " + delta);
            throw new IllegalArgumentException("counters only increase: " + counter + " += " + delta);
        }
        counters.merge(counter, delta, Long::sum);
    }

    @Override
    public synchronized long nanoTime() {
        guard("nanoTime");
        return now;
    }

    // ---- for PolicyContract: calls outside a callback ----

    /** From now on, a handle call from a thread that is not inside {@link #inCallback} is a violation. */
    synchronized void guardCallbacks() {
        callbackDepth = ThreadLocal.withInitial(() -> new int[1]);
    }

    /** Runs one policy callback, marking the calling thread as inside it. */
    void inCallback(Runnable callback) {
        ThreadLocal<int[]> depth;
        synchronized (this) {
            depth = callbackDepth;
        }
        if (depth == null) {
            callback.run();
            return;
        }
        depth.get()[0]++;
        try {
            callback.run();
        } finally {
            depth.get()[0]--;
        }
    }

    private void guard(String method) {
        if (callbackDepth != null && callbackDepth.get()[0] == 0) {
            violation(method + " called on thread '" + Thread.currentThread().getName()
                    + "' outside any policy callback (a handle is only valid during the callback it was passed to)");
        }
    }

    private boolean violation(String what) {
        if (violations.size() < 100) {
            violations.add(what);
        }
        return true;
    }

    private boolean known(SizeClass c, String method) {
        if (c == null) {
            return !violation(method + ": size class is null");
        }
        if (c.index() < 0 || c.index() >= CLASSES.size() || !CLASSES.get(c.index()).equals(c)) {
            return !violation(method + ": " + c + " is not one of the handle's size classes");
        }
        return true;
    }

    private long committedEmpty(SizeClass c) {
        return slabs(c).stream().filter(s -> s.committed).count() * SLAB;
    }

    private List<Slab> slabs(SizeClass c) {
        return emptySlabs.computeIfAbsent(Objects.requireNonNull(c, "size class").index(), k -> new ArrayList<>());
    }

    private List<Long> superSlabs(SizeClass c) {
        return emptySuperSlabs.computeIfAbsent(Objects.requireNonNull(c, "size class").index(), k -> new ArrayList<>());
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
