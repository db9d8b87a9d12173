package hakmem.api.spi;

/**
 * Decides when memory goes back to the operating system. A policy never calls the OS itself: it acts through the
 * {@link ReleaseHandle} the core passes in, so every madvise and munmap passes the OS box's guard.
 *
 * <p>All methods run on slow paths only (open, a slab returning to its class pool, the ticker), never on the
 * malloc/free fast path, and never while the core holds a lock. They may be called from any thread, concurrently
 * with each other; implementations keep their own state thread-safe.
 */
public interface ReleasePolicy {

    /**
     * How many superslabs of this class to map and touch (make resident) when the allocator opens: 0..1024
     * (anything else fails {@code open}). Default: none.
     */
    default int prewarmSuperSlabs(SizeClass sizeClass) {
        return 0;
    }

    /**
     * Called once when the allocator has opened (after prewarm), before any other event: a place to read the size
     * classes or count decisions made at prewarm. An exception here fails {@code open}. Default: nothing.
     */
    default void onOpen(ReleaseHandle handle) {
    }

    /**
     * The resident bytes of empty (block-free) memory this class may keep committed; what lies beyond is the
     * policy's to release. Reported in the option/stats tables. Default: unlimited.
     */
    default long residentBudget(SizeClass sizeClass) {
        return Long.MAX_VALUE;
    }

    /**
     * A slab of {@code slab.sizeClass()} has become empty and returned to its class pool.
     * If its whole superslab became empty too, {@code superSlabEmpty} is true.
     */
    void onSlabEmpty(EmptySlab slab, boolean superSlabEmpty, ReleaseHandle handle);

    /** Called by the core's daemon ticker every {@link #tickIntervalMillis()} ms (never if that is 0). */
    default void onTick(ReleaseHandle handle) {
    }

    /**
     * The ticker period in milliseconds, asked once at open: 0 (the default) runs no ticker; at most 86,400,000
     * (one day; anything outside 0..86,400,000 fails {@code open}).
     */
    default long tickIntervalMillis() {
        return 0;
    }

    /** The bound on cached large mappings of policies that say nothing: {@value} bytes (64 MiB). */
    long DEFAULT_LARGE_CACHE_BYTES = 64L << 20;

    /**
     * Blocks above the largest size class each have a mapping of their own. When one is freed the core keeps the
     * mapping for reuse (a later block it fits reuses it without a system call) as long as the cached mappings total
     * at most this many bytes; beyond it the core unmaps the longest-cached ones at once. What stays cached is the
     * policy's to decommit or unmap through {@link ReleaseHandle#decommitCachedLarge} and
     * {@link ReleaseHandle#unmapCachedLarge}. Default: {@link #DEFAULT_LARGE_CACHE_BYTES}.
     */
    default long largeCacheBytes() {
        return DEFAULT_LARGE_CACHE_BYTES;
    }

    /**
     * The same bound, given the bytes of the large blocks live now: the core asks at every free of a large block (a
     * slow path), so a bound can follow the program's working set. A negative answer counts as 0. Default:
     * {@link #largeCacheBytes()}.
     */
    default long largeCacheBytes(long liveLargeBytes) {
        return largeCacheBytes();
    }

    /**
     * A large block of {@code bytes} (its mapping's length) was freed and its mapping is now cached for reuse (the
     * bound {@link #largeCacheBytes()} already applied). Called on the freeing thread. Default: nothing.
     */
    default void onLargeCached(long bytes, ReleaseHandle handle) {
    }

    /**
     * The allocator's committed footprint is {@code overBytes} above its soft limit (option {@code soft.limit.mb}):
     * release what this policy is willing to, now, through the handle. Called on the allocating thread that found
     * the footprint over (a slow path: the allocator had just mapped memory), with no core lock held. If the
     * footprint is still above the limit afterwards, the core trims by itself (everything releasable, as
     * {@link hakmem.api.Allocator#trim()}); so a policy that does nothing here (the default) leaves the whole
     * decision to the core.
     */
    default void onSoftLimit(ReleaseHandle handle, long overBytes) {
    }
}
