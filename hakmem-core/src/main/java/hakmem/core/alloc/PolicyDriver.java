package hakmem.core.alloc;

import hakmem.api.spi.Advice;
import hakmem.api.spi.Clock;
import hakmem.api.spi.EmptySlab;
import hakmem.api.spi.ReleaseHandle;
import hakmem.api.spi.ReleasePolicy;
import hakmem.api.spi.SizeClass;
import hakmem.core.jfr.DecommitEvent;
import hakmem.core.jfr.EventSource;
import hakmem.core.jfr.TrimEvent;
import hakmem.core.jfr.UnmapEvent;
import hakmem.core.os.OsLayer;
import hakmem.core.stats.Stat;
import hakmem.core.stats.Stats;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The policy driver: everything between the allocator and its release policy. It prewarms at open, passes the
 * slow-path events on (a slab that empties, a large mapping that is cached, the bound of the large cache), runs the
 * ticker, and is the {@link ReleaseHandle} through which the policy acts on the pools and the large cache.
 *
 * <p>The policy is called on slow paths only and never with a pool lock held; anything it throws is logged once per
 * call, counted in {@code policy_errors} and ignored. After {@link #stop()} the handle releases nothing more.
 */
final class PolicyDriver {

    private static final System.Logger LOG = System.getLogger("hakmem");
    /** The longest tick interval a policy may ask for: one day (a longer one is a bug, e.g. an overflow). */
    static final long MAX_TICK_MILLIS = TimeUnit.DAYS.toMillis(1);
    /** The most superslabs a policy may prewarm per class. */
    static final int MAX_PREWARM = 1024;

    private final String policyId;
    private final ReleasePolicy policy;
    private final Object owner;
    private final ClassPool[] pools;
    private final List<SizeClass> classes;
    private final LargeBlocks large;
    private final OsLayer os;
    private final Stats stats;
    private final EventSource source;
    private final Handle handle = new Handle();
    private final AtomicBoolean raceLogged = new AtomicBoolean();
    private final Clock clock;
    private volatile boolean stopped;
    private Clock.Scheduled ticker;
    /** Held by the ticker for each tick, and by {@link #holdingTicker} (the audit), so that the two never overlap. */
    private final Object tickLock = new Object();

    /** @param owner the allocator, as the identity its slabs carry (never called) */
    PolicyDriver(String policyId, ReleasePolicy policy, Object owner, ClassPool[] pools, List<SizeClass> classes,
                 LargeBlocks large, OsLayer os, Stats stats, EventSource source, Clock clock) {
        this.source = source;
        this.policyId = policyId;
        this.policy = policy;
        this.owner = owner;
        this.pools = pools;
        this.classes = classes;
        this.large = large;
        this.os = os;
        this.stats = stats;
        this.clock = clock;
    }

    ClassPool pool(int c) {
        return pools[c];
    }

    /**
     * Open: the prewarm the policy asks for (0..{@value #MAX_PREWARM} superslabs per class), then {@code onOpen}.
     *
     * @return the tick interval the policy asks for, checked to lie in 0..{@link #MAX_TICK_MILLIS}
     * @throws IllegalArgumentException for an answer out of bounds (the caller unmaps what was prewarmed)
     */
    long open() {
        for (SizeClass sc : classes) {
            int n = policy.prewarmSuperSlabs(sc);
            if (n < 0 || n > MAX_PREWARM) {
                throw new IllegalArgumentException("policy " + policyId + " asked to prewarm " + n + " superslabs of "
                        + sc.name() + " (0.." + MAX_PREWARM + " allowed)");
            }
            pools[sc.index()].prewarm(n, clock.nanoTime());
        }
        policy.onOpen(handle);
        long tick = policy.tickIntervalMillis();
        if (tick < 0 || tick > MAX_TICK_MILLIS) {
            throw new IllegalArgumentException("policy " + policyId + " returned a tick interval of " + tick
                    + " ms (0.." + MAX_TICK_MILLIS + " allowed)");
        }
        return tick;
    }

    /** Starts the ticker on the clock box: every {@code millis} ms it runs {@code housekeeping} (the heaps'), then {@code onTick}. */
    void startTicker(long millis, Runnable housekeeping) {
        ticker = clock.schedule("hakmem-ticker-" + policyId, TimeUnit.MILLISECONDS.toNanos(millis), () -> tick(housekeeping));
    }

    private void tick(Runnable housekeeping) {
        synchronized (tickLock) { // a test holding the ticker (audit) waits for this tick, and the next one for it
            if (stopped) {
                return;
            }
            try {
                housekeeping.run();
                policy.onTick(handle);
            } catch (RuntimeException e) {
                policyFailed("onTick", e);
            }
        }
    }

    /** Runs {@code body} while no tick runs: a tick in progress finishes first, the next one waits (lock order: tickLock, then registry and pool locks). */
    <T> T holdingTicker(java.util.function.Supplier<T> body) {
        synchronized (tickLock) {
            return body.get();
        }
    }

    /** Stops the ticker (waiting for a tick in progress) and makes the handle release nothing more (close). */
    void stop() {
        stopped = true;
        if (ticker != null) {
            ticker.cancel();
        }
    }

    /** A slab became empty on its owner's free: back to its pool, then the policy decides (no lock held). */
    void slabEmpty(Slab s) {
        long now = clock.nanoTime();
        boolean superEmpty = pools[s.sizeClass].release(s, now);
        try {
            policy.onSlabEmpty(new EmptySlab(classes.get(s.sizeClass), s.start, s.length, now, true), superEmpty, handle);
        } catch (RuntimeException e) {
            policyFailed("onSlabEmpty", e);
        }
    }

    /** A freed large block's {@code bytes} stayed with the large heap (its region was not unmapped). */
    void largeCached(long bytes) {
        try {
            policy.onLargeCached(bytes, handle);
        } catch (RuntimeException e) {
            policyFailed("onLargeCached", e);
        }
    }

    /** The policy's bound on cached large mappings now (asked at the free of a large block). */
    long largeCacheBound() {
        try {
            return Math.max(0, policy.largeCacheBytes(large.liveBytes()));
        } catch (RuntimeException e) {
            policyFailed("largeCacheBytes", e);
            return ReleasePolicy.DEFAULT_LARGE_CACHE_BYTES;
        }
    }

    /**
     * The footprint was found {@code overBytes} above the soft limit: the policy's turn to release (no lock held).
     * Whether that was enough the caller measures; a policy that throws released nothing.
     */
    void softLimit(long overBytes) {
        try {
            policy.onSoftLimit(handle, overBytes);
        } catch (RuntimeException e) {
            policyFailed("onSoftLimit", e);
        }
    }

    /** Bytes decommitted and bytes unmapped by one {@link #trim}. */
    record Released(long decommitted, long unmapped) {
        long total() {
            return decommitted + unmapped;
        }
    }

    /**
     * Releases everything releasable now, whatever the policy's pacing: unmaps every empty superslab, decommits
     * (MADV_DONTNEED) every empty committed slab left, unmaps every cached large mapping. The ticker is held off
     * meanwhile (a tick in progress finishes first); malloc and free go on concurrently (the pools re-check under
     * their locks, as for any policy decision). Nothing after {@link #stop()}.
     *
     * @param cause what asked, for the JFR event: {@code call} or {@code soft-limit}
     */
    Released trim(String cause) {
        synchronized (tickLock) {
            if (stopped) {
                return new Released(0, 0);
            }
            TrimEvent event = new TrimEvent();
            event.begin();
            long now = clock.nanoTime();
            long decommitted = 0;
            long unmapped = 0;
            for (ClassPool p : pools) { // any idle time: Long.MIN_VALUE
                unmapped += p.retireEmpty(0, Long.MIN_VALUE, now) * SizeClasses.SUPERSLAB_BYTES;
                decommitted += p.decommitEmpty(0, Long.MIN_VALUE, Advice.DONTNEED, now);
            }
            unmapped += unmapCachedLarge(0, Long.MIN_VALUE);
            // free spans of large regions that still hold a block: decommitted (only empty regions can be unmapped)
            decommitted += large.decommitCached(0, Long.MIN_VALUE, Advice.DONTNEED, now);
            stats.increment(Stat.TRIMS);
            stats.add(Stat.TRIM_BYTES, decommitted + unmapped);
            if (event.shouldCommit()) {
                source.stamp(event);
                event.cause = cause;
                event.decommittedBytes = decommitted;
                event.unmappedBytes = unmapped;
                event.commit();
            }
            return new Released(decommitted, unmapped);
        }
    }

    /** Committed bytes: slabs that held data and were not decommitted since, live large blocks, committed cached ones. */
    long committedBytes() {
        long bytes = large.liveBytes() + large.cachedCommittedBytes();
        for (ClassPool p : pools) {
            bytes += p.committedBytes();
        }
        return bytes;
    }

    private long unmapCachedLarge(long keepBytes, long minIdleNanos) {
        UnmapEvent event = new UnmapEvent();
        event.begin();
        long bytes = large.unmapCached(keepBytes, minIdleNanos, clock.nanoTime());
        if (bytes > 0 && event.shouldCommit()) {
            source.stamp(event);
            event.sizeClass = "large";
            event.bytes = bytes;
            event.commit();
        }
        return bytes;
    }

    /** The owner found remote-freed blocks its own free had already taken back: a racing double free. */
    void racedDoubleFrees(int n) {
        stats.add(Stat.DOUBLE_FREES, n);
        if (raceLogged.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, "hakmem: " + n + " block(s) were freed twice at the same time by two threads "
                + "(the owner's free won; the other free was dropped); further ones are only counted in double_frees");
        }
    }

    private void policyFailed(String what, RuntimeException e) {
        stats.increment(Stat.POLICY_ERRORS);
        LOG.log(System.Logger.Level.WARNING, "hakmem: policy " + policyId + " threw from " + what + "; ignored", e);
    }

    // ------------------------------------------------------------------ the policy's handle

    private final class Handle implements ReleaseHandle {

        private ClassPool poolOf(SizeClass c) {
            if (c == null || c.index() < 0 || c.index() >= pools.length || !classes.get(c.index()).equals(c)) {
                throw new IllegalArgumentException("not a size class of this allocator: " + c);
            }
            return pools[c.index()];
        }

        @Override
        public List<SizeClass> sizeClasses() {
            return classes;
        }

        @Override
        public long emptyCommittedBytes(SizeClass sizeClass) {
            return poolOf(sizeClass).emptyCommittedBytes();
        }

        @Override
        public long committedBytes(SizeClass sizeClass) {
            return poolOf(sizeClass).committedBytes();
        }

        @Override
        public List<EmptySlab> emptySlabs(SizeClass sizeClass) {
            return poolOf(sizeClass).emptySlabs();
        }

        @Override
        public long decommitEmpty(SizeClass sizeClass, long keepBytes, long minIdleNanos, Advice advice) {
            ClassPool p = poolOf(sizeClass);
            if (stopped) {
                return 0;
            }
            return p.decommitEmpty(Math.max(0, keepBytes), minIdleNanos, advice, clock.nanoTime());
        }

        @Override
        public boolean decommit(EmptySlab slab, Advice advice) {
            ClassPool p = poolOf(slab.sizeClass());
            Slab s = PageMap.get(slab.address());
            if (stopped || s == null || s.allocator != owner || s.large || s.start != slab.address() || s.sizeClass != slab.sizeClass().index()) {
                return false;
            }
            return p.decommit(s, advice);
        }

        @Override
        public int retireEmptySuperSlabs(SizeClass sizeClass, int keep, long minIdleNanos) {
            ClassPool p = poolOf(sizeClass);
            if (stopped) {
                return 0;
            }
            return p.retireEmpty(keep, minIdleNanos, clock.nanoTime());
        }

        @Override
        public boolean decommitEnabled() {
            return os.decommitEnabled();
        }

        @Override
        public void count(String counter, long delta) {
            stats.addExtra(counter, delta);
        }

        @Override
        public long nanoTime() {
            return clock.nanoTime();
        }

        @Override
        public long cachedLargeBytes() {
            return large.cachedBytes();
        }

        @Override
        public long cachedLargeCommittedBytes() {
            return large.cachedCommittedBytes();
        }

        @Override
        public long decommitCachedLarge(long keepBytes, long minIdleNanos, Advice advice) {
            if (stopped || advice == null) {
                return 0;
            }
            DecommitEvent event = new DecommitEvent();
            event.begin();
            long bytes = large.decommitCached(Math.max(0, keepBytes), minIdleNanos, advice, clock.nanoTime());
            if (bytes > 0 && event.shouldCommit()) {
                source.stamp(event);
                event.sizeClass = "large";
                event.bytes = bytes;
                event.advice = advice.name();
                event.commit();
            }
            return bytes;
        }

        @Override
        public long unmapCachedLarge(long keepBytes, long minIdleNanos) {
            if (stopped) {
                return 0;
            }
            return PolicyDriver.this.unmapCachedLarge(Math.max(0, keepBytes), minIdleNanos);
        }
    }
}
