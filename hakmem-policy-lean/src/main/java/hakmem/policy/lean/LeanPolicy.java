package hakmem.policy.lean;

import com.google.inject.Inject;
import hakmem.api.spi.Advice;
import hakmem.api.spi.EmptySlab;
import hakmem.api.spi.ReleaseHandle;
import hakmem.api.spi.ReleasePolicy;
import hakmem.api.spi.SizeClass;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * hakmem's Memory-Lean mode, and with decommit {@code OFF} its production default ({@code balanced}).
 *
 * <p>Prewarm: none. Superslabs are mapped when a class first needs one, so an allocator that never uses a class
 * never pays for it.
 *
 * <p>Decommit: when a slab empties, the class's empty committed slabs beyond {@code keepSlabs} are decommitted
 * (longest-empty first). Keeping a few committed is the hysteresis: an alloc/free ping-pong at a slab boundary
 * reuses the kept slab instead of paying a madvise and a page fault per round trip.
 *
 * <p>Retire: each class's budget is its share of the resident target ({@code target / classes}). A class keeps as
 * many fully empty superslabs mapped as its budget covers, and at least one, for the same ping-pong reason at a
 * superslab boundary (an mmap plus an munmap per round trip otherwise). The kept ones are decommitted down to
 * the hysteresis like any other empty slab, so keeping them costs address space, not resident memory.
 *
 * <p>Delay: with {@code delayMillis > 0} the events do nothing; the core's ticker calls {@link #onTick} and
 * memory that has stayed empty for the delay is released then. The ticker runs whether or not anyone
 * allocates, so an idle process still gives its memory back.
 *
 * <p>Reaping: the hysteresis is for classes in use. With {@code keepIdleMillis > 0} the ticker also releases
 * the kept slabs and the kept empty superslab (down to what the budget covers) once they have been idle that
 * long, so an idle process ends with nothing but its live blocks resident. A ping-pong reuses its kept slab
 * long before that, so reaping costs at most one madvise per class per idle period.
 *
 * <p>Concurrency: the handle's operations are thread-safe and re-check emptiness under the pool lock, so two
 * threads deciding at once at worst both ask for the same release and one gets 0 back. The policy's own state
 * is the learned class count and the pending prewarm count, both atomic.
 */
final class LeanPolicy implements ReleasePolicy {

    /** C0..C7, the classes the {@code speed} policy prewarms: the prewarms this policy skips. */
    static final int TINY_CLASSES = 8;

    private final LeanConfig config;
    private final Advice advice;
    private final long delayNanos;
    private final long reapNanos;
    /** Number of size classes, learned from the prewarm calls and the handle; 0 until then. */
    private final AtomicInteger classCount = new AtomicInteger();
    /** Bit i set: the skipped prewarm of class i was counted. */
    private final AtomicInteger prewarmSkippedMask = new AtomicInteger();
    /** Skipped prewarms not yet reported (prewarm has no handle; onOpen reports them). */
    private final AtomicLong pendingPrewarmSkipped = new AtomicLong();

    /** The window of the peak of live large bytes that bounds the empty large memory kept: 10 s. */
    static final long LARGE_WINDOW_NANOS = 10_000_000_000L;
    private final WindowedPeak livePeak = new WindowedPeak(LARGE_WINDOW_NANOS);
    /** The handle seen at open, for its clock; null before (the bound then follows the live bytes alone). */
    private volatile ReleaseHandle clock;

    @Inject
    LeanPolicy(LeanConfig config) {
        this.config = config;
        this.advice = config.decommit().advice();
        this.delayNanos = config.delayNanos();
        this.reapNanos = config.reapNanos();
    }

    LeanConfig config() {
        return config;
    }

    @Override
    public int prewarmSuperSlabs(SizeClass sizeClass) {
        learnClassCount(sizeClass.index() + 1);
        int index = sizeClass.index();
        if (index < TINY_CLASSES) {
            int bit = 1 << index;
            int before = prewarmSkippedMask.getAndUpdate(m -> m | bit);
            if ((before & bit) == 0) {
                pendingPrewarmSkipped.incrementAndGet();
            }
        }
        return 0;
    }

    @Override
    public void onOpen(ReleaseHandle handle) {
        clock = handle;
        learn(handle); // reports the prewarms skipped above at once
    }

    @Override
    public long residentBudget(SizeClass sizeClass) {
        if (!config.releases()) {
            return Long.MAX_VALUE;
        }
        int classes = classCount.get();
        return classes == 0 ? config.targetBytes() : config.targetBytes() / classes;
    }

    @Override
    public void onSlabEmpty(EmptySlab slab, boolean superSlabEmpty, ReleaseHandle handle) {
        learn(handle);
        if (!config.immediate()) {
            return;
        }
        SizeClass sizeClass = slab.sizeClass();
        // Retire first: decommitting slabs of a superslab that is about to be unmapped would waste a madvise.
        if (superSlabEmpty) {
            retire(sizeClass, keepSuperSlabs(sizeClass), 0, handle);
        }
        decommit(sizeClass, keepEmptyBytes(sizeClass), 0, handle);
    }

    @Override
    public void onTick(ReleaseHandle handle) {
        learn(handle);
        if (!config.releases()) {
            return;
        }
        List<SizeClass> classes = handle.sizeClasses();
        for (SizeClass sizeClass : classes) {
            if (!config.immediate()) {
                retire(sizeClass, keepSuperSlabs(sizeClass), delayNanos, handle);
                decommit(sizeClass, keepEmptyBytes(sizeClass), delayNanos, handle);
            }
            if (config.reaps()) {
                // the hysteresis is for a class in use; one idle this long gives its kept memory back too
                retire(sizeClass, budgetSuperSlabs(sizeClass), reapNanos, handle);
                decommit(sizeClass, 0, reapNanos, handle);
            }
        }
        if (!config.immediate()) {
            decommitLarge(keepLargeBytes(), delayNanos, handle);
        }
        if (config.reaps()) {
            decommitLarge(0, reapNanos, handle);
            handle.unmapCachedLarge(0, reapNanos); // counted by the core in munmap_calls / large_mappings
        }
    }

    /**
     * Large mappings: the core keeps freed ones cached up to the resident target ({@link #largeCacheBytes()});
     * lean decommits them like empty slabs, at once or after the delay, keeping only the hysteresis committed, and
     * the ticker unmaps what has been cached for the keep idle time.
     */
    @Override
    public long largeCacheBytes() {
        return config.releases() ? config.targetBytes() : ReleasePolicy.DEFAULT_LARGE_CACHE_BYTES;
    }

    /**
     * Both keep empty large regions up to twice the peak of live large bytes over the last
     * {@link #LARGE_WINDOW_NANOS} (10 to 20 s): a working set that shrinks and grows back is reused without an
     * mmap/munmap pair even when its blocks land in other regions than before (once the peak alone: 3 of every 10^5
     * ops of the bench's large workload still unmapped and remapped a region). {@code balanced} (nothing released)
     * keeps at least 64 MiB; {@code lean} at least its target, and since it decommits what it caches (beyond the hysteresis) the cache
     * costs it address space and page faults on reuse, not resident memory; its ticker unmaps what stays idle.
     */
    @Override
    public long largeCacheBytes(long liveLargeBytes) {
        long floor = config.releases() ? config.targetBytes() : ReleasePolicy.DEFAULT_LARGE_CACHE_BYTES;
        ReleaseHandle h = clock;
        long peak = h == null ? liveLargeBytes : livePeak.update(liveLargeBytes, h.nanoTime());
        return Math.max(floor, 2 * Math.min(peak, Long.MAX_VALUE / 4));
    }

    @Override
    public void onLargeCached(long bytes, ReleaseHandle handle) {
        if (config.immediate()) {
            decommitLarge(keepLargeBytes(), 0, handle);
        }
    }

    /** Committed bytes of cached large mappings kept: the same hysteresis as {@code lean.keep.slabs}, in 64 KiB units. */
    long keepLargeBytes() {
        return config.keepSlabs() * (64L << 10);
    }

    private void decommitLarge(long keepBytes, long minIdleNanos, ReleaseHandle handle) {
        if (!handle.decommitEnabled()) {
            return;
        }
        long bytes = handle.decommitCachedLarge(keepBytes, minIdleNanos, advice);
        if (bytes > 0) { // lean_decommit counts slabs; the mappings are counted by the core (large_decommits)
            handle.count(LeanOptions.COUNTER_BYTES_DECOMMITTED, bytes);
        }
    }

    @Override
    public long tickIntervalMillis() {
        return config.tickIntervalMillis();
    }

    /**
     * Empty committed bytes the class keeps: the hysteresis, {@code keepSlabs} x 64 KiB, and at least one slab when
     * it is not 0 (a medium class's slab is a whole 2 MiB superslab: keeping eight of them would hold 16 MiB).
     */
    long keepEmptyBytes(SizeClass sizeClass) {
        long keep = config.keepSlabs() * (64L << 10);
        return config.keepSlabs() == 0 ? 0 : Math.max(keep, sizeClass.slabBytes());
    }

    /**
     * Fully empty superslabs the class keeps mapped while in use: what its budget covers, at least one. A medium class,
     * whose slab is a whole superslab, keeps up to {@code keepSlabs} of them (decommitted beyond the one committed
     * slab of its hysteresis): an alloc/free ping-pong then costs a madvise and page faults, not an munmap and an mmap;
     * the ticker unmaps them once idle.
     */
    int keepSuperSlabs(SizeClass sizeClass) {
        int medium = sizeClass.slabBytes() >= sizeClass.superSlabBytes() ? config.keepSlabs() : 0;
        return Math.max(Math.max(1, medium), budgetSuperSlabs(sizeClass));
    }

    /** Fully empty superslabs the class's budget covers (possibly none). */
    int budgetSuperSlabs(SizeClass sizeClass) {
        return (int) Math.min(Integer.MAX_VALUE, residentBudget(sizeClass) / sizeClass.superSlabBytes());
    }

    private void retire(SizeClass sizeClass, int keep, long minIdleNanos, ReleaseHandle handle) {
        int retired = handle.retireEmptySuperSlabs(sizeClass, keep, minIdleNanos);
        if (retired > 0) {
            handle.count(LeanOptions.COUNTER_RETIRE, retired);
        }
    }

    private void decommit(SizeClass sizeClass, long keepBytes, long minIdleNanos, ReleaseHandle handle) {
        if (!handle.decommitEnabled()) {
            return;
        }
        long bytes = handle.decommitEmpty(sizeClass, keepBytes, minIdleNanos, advice);
        if (bytes > 0) {
            handle.count(LeanOptions.COUNTER_DECOMMIT, Math.max(1, bytes / sizeClass.slabBytes()));
            handle.count(LeanOptions.COUNTER_BYTES_DECOMMITTED, bytes);
        }
    }

    private void learn(ReleaseHandle handle) {
        learnClassCount(handle.sizeClasses().size());
        long pending = pendingPrewarmSkipped.getAndSet(0);
        if (pending > 0) {
            handle.count(LeanOptions.COUNTER_PREWARM_SKIPPED, pending);
        }
    }

    private void learnClassCount(int atLeast) {
        classCount.accumulateAndGet(atLeast, Math::max);
    }
}
