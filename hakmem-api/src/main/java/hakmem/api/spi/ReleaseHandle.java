package hakmem.api.spi;

import java.util.List;

/**
 * The narrow handle through which a {@link ReleasePolicy} acts. Every operation takes effect only on memory that
 * holds no live block (the core re-checks under its lock) and goes through the OS box's madvise guard. All
 * methods are thread-safe and may block briefly on the class pool's lock.
 */
public interface ReleaseHandle {

    /** The size classes served from superslabs, smallest first. */
    List<SizeClass> sizeClasses();

    /** Bytes of this class's empty slabs that are still committed (not decommitted since they last held data). */
    long emptyCommittedBytes(SizeClass sizeClass);

    /** Bytes of this class's superslabs that are mapped and not decommitted (live slabs included). */
    long committedBytes(SizeClass sizeClass);

    /** A snapshot of this class's empty slabs, the longest-empty first. */
    List<EmptySlab> emptySlabs(SizeClass sizeClass);

    /**
     * Decommits empty, committed slabs of the class, longest-empty first, that have been empty for at least
     * {@code minIdleNanos}, until at most {@code keepBytes} of empty committed memory remains.
     *
     * @return bytes decommitted (0 when decommit is disabled)
     */
    long decommitEmpty(SizeClass sizeClass, long keepBytes, long minIdleNanos, Advice advice);

    /** Decommits one empty slab; false if it is no longer empty, already decommitted, or decommit is disabled. */
    boolean decommit(EmptySlab slab, Advice advice);

    /**
     * Unmaps fully empty superslabs of the class that have been empty at least {@code minIdleNanos}, keeping
     * {@code keep} of them mapped.
     *
     * @return the number of superslabs unmapped
     */
    int retireEmptySuperSlabs(SizeClass sizeClass, int keep, long minIdleNanos);

    /** False once a madvise error disabled decommit for this allocator (fail fast). */
    boolean decommitEnabled();

    /** Adds {@code delta} to a counter the plugin declared in {@link PolicyPlugin#counters()}. */
    void count(String counter, long delta);

    /**
     * The clock the core uses for {@link EmptySlab#emptySinceNanos()}: the bound {@link Clock} box (the system clock,
     * or a simulator's virtual clock).
     */
    long nanoTime();

    /**
     * Bytes of freed large mappings the core keeps for reuse (blocks above the largest size class), committed or
     * not. Default (a handle that has none): 0.
     */
    default long cachedLargeBytes() {
        return 0;
    }

    /** Of {@link #cachedLargeBytes()}, the bytes not decommitted since they last held data. Default: 0. */
    default long cachedLargeCommittedBytes() {
        return 0;
    }

    /**
     * Decommits cached large mappings cached for at least {@code minIdleNanos}, longest-cached first, until at most
     * {@code keepBytes} of committed cached memory remain. The mappings stay cached (reuse costs page faults, no
     * mmap).
     *
     * @return bytes decommitted (0 when decommit is disabled)
     */
    default long decommitCachedLarge(long keepBytes, long minIdleNanos, Advice advice) {
        return 0;
    }

    /**
     * Unmaps cached large mappings cached for at least {@code minIdleNanos}, longest-cached first, until at most
     * {@code keepBytes} of cached mappings remain.
     *
     * @return bytes unmapped
     */
    default long unmapCachedLarge(long keepBytes, long minIdleNanos) {
        return 0;
    }
}
