package hakmem.core.alloc;

import hakmem.core.jfr.EventSource;
import hakmem.core.jfr.SoftLimitEvent;
import hakmem.core.stats.Stat;
import hakmem.core.stats.Stats;

/**
 * The soft limit (option {@code soft.limit.mb}): a ceiling on the allocator's committed footprint above which it
 * gives memory back by itself. Looked at on the allocating slow paths (a slab refill, a large block), after the
 * allocation, with no lock held:
 * <ol>
 *   <li>a cheap test: the mapped bytes (one atomic read) are above the limit and have grown by a {@link #step}
 *       since the last look (so a footprint that stays over the limit because of live data costs one look per
 *       step of growth, not one per refill);</li>
 *   <li>the committed footprint ({@link PolicyDriver#committedBytes()}, the pools' figures) above the limit: the
 *       policy is asked to release ({@code ReleasePolicy.onSoftLimit}); if the footprint is still above, the core
 *       trims ({@link PolicyDriver#trim}).</li>
 * </ol>
 * Mapped bytes bound committed bytes from above, so while the mappings stay below the limit so does the footprint,
 * and the first crossing is looked at at once. Above it, a footprint that grows without new mappings (decommitted
 * slabs in use again) is seen at the next look, after one more step of mapping. Thread-safe: one look at a time;
 * other threads skip while one looks.
 */
final class SoftLimit {

    /** {@link #lastLook} while the mapped bytes are at or below the limit: the next crossing is looked at at once. */
    private static final long ARMED = Long.MIN_VALUE / 4;

    private final long limit;
    private final long step;
    private final Stats stats;
    private final PolicyDriver driver;
    private final EventSource source;
    /** The mapped bytes at the last look (or {@link #ARMED}). Racy updates are harmless: at worst one look more. */
    private volatile long lastLook = ARMED;
    private final java.util.concurrent.atomic.AtomicBoolean looking = new java.util.concurrent.atomic.AtomicBoolean();

    /** @param limitBytes the limit; 0 turns it off */
    SoftLimit(long limitBytes, Stats stats, PolicyDriver driver, EventSource source) {
        if (limitBytes < 0) {
            throw new IllegalArgumentException("soft limit must be 0 (off) or positive: " + limitBytes + " bytes");
        }
        this.limit = limitBytes;
        this.step = Math.max(SizeClasses.SUPERSLAB_BYTES, limitBytes / 16);
        this.stats = stats;
        this.driver = driver;
        this.source = source;
    }

    long limitBytes() {
        return limit;
    }

    /** After a slow-path allocation: looks at the footprint if the cheap test says it may be over. */
    void afterAllocation() {
        if (limit == 0) {
            return;
        }
        long mapped = stats.get(Stat.MAPPED_BYTES);
        long last = lastLook;
        if (mapped <= limit) {
            if (last != ARMED) {
                lastLook = ARMED;
            }
            return;
        }
        if (mapped - last < step || !looking.compareAndSet(false, true)) {
            return;
        }
        try {
            look();
        } finally {
            lastLook = stats.get(Stat.MAPPED_BYTES) <= limit ? ARMED : stats.get(Stat.MAPPED_BYTES);
            looking.set(false);
        }
    }

    private void look() {
        long before = driver.committedBytes();
        if (before <= limit) {
            return;
        }
        SoftLimitEvent event = new SoftLimitEvent();
        event.begin();
        stats.increment(Stat.SOFT_LIMIT_HITS);
        driver.softLimit(before - limit);
        long afterPolicy = driver.committedBytes();
        long after = afterPolicy;
        boolean trimmed = afterPolicy > limit;
        if (trimmed) {
            stats.increment(Stat.SOFT_LIMIT_TRIMS);
            driver.trim("soft-limit");
            after = driver.committedBytes();
        }
        if (event.shouldCommit()) {
            source.stamp(event);
            event.limitBytes = limit;
            event.beforeBytes = before;
            event.afterPolicyBytes = afterPolicy;
            event.afterBytes = after;
            event.trimmed = trimmed;
            event.commit();
        }
    }
}
