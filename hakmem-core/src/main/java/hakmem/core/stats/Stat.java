package hakmem.core.stats;

import java.util.Locale;

/**
 * The one declared list of statistics. {@link Kind#COUNT}s go up and down and keep {current, peak, total};
 * {@link Kind#COUNTER}s only increase. Only the OS layer bumps the OS counters.
 */
public enum Stat {
    SUPERSLABS(Kind.COUNT, "superslabs mapped"),
    SLABS_IN_USE(Kind.COUNT, "slabs handed to thread heaps"),
    LARGE_MAPPINGS(Kind.COUNT, "regions of the large-block page heap (blocks above the largest class)"),
    LARGE_BLOCKS(Kind.COUNT, "live blocks above the largest class"),
    LARGE_CACHED_BYTES(Kind.COUNT, "free bytes of the large-block regions (kept for reuse)"),
    MAPPED_BYTES(Kind.COUNT, "bytes mapped by the allocator"),
    HEAPS(Kind.COUNT, "thread heaps"),
    METADATA_BYTES(Kind.COUNT, "Java-heap bytes of the allocator's bookkeeping (slabs and their per-block arrays, heaps, "
            + "large blocks, the page-map leaves it made), estimated from the object layout"),

    MMAP_CALLS(Kind.COUNTER, "mmap system calls"),
    MMAP_BYTES(Kind.COUNTER, "bytes mapped by mmap calls"),
    MUNMAP_CALLS(Kind.COUNTER, "munmap system calls"),
    MUNMAP_BYTES(Kind.COUNTER, "bytes unmapped by munmap calls"),
    MADVISE_CALLS(Kind.COUNTER, "madvise system calls"),
    MADVISE_BYTES(Kind.COUNTER, "bytes advised"),
    MADVISE_ERRORS(Kind.COUNTER, "madvise calls that failed (the first disables decommit)"),
    MADVISE_REFUSED(Kind.COUNTER, "madvise requests the guard refused (unaligned or not owned)"),
    MINCORE_CALLS(Kind.COUNTER, "mincore system calls"),
    MMAP_ERRORS(Kind.COUNTER, "mmap calls that failed"),
    SLABS_CARVED(Kind.COUNTER, "slabs handed out from superslabs"),
    SUPERSLABS_PREWARMED(Kind.COUNTER, "superslabs mapped and touched at open"),
    SLABS_DECOMMITTED(Kind.COUNTER, "empty slabs decommitted"),
    BYTES_DECOMMITTED(Kind.COUNTER, "bytes decommitted"),
    SUPERSLABS_RETIRED(Kind.COUNTER, "empty superslabs unmapped"),
    LARGE_CACHE_HITS(Kind.COUNTER, "large blocks carved from free region memory (no mmap)"),
    LARGE_DECOMMITS(Kind.COUNTER, "runs of free large-region memory decommitted"),
    REMOTE_FREES(Kind.COUNTER, "frees by a thread that does not own the block's slab"),
    HEAPS_ADOPTED(Kind.COUNTER, "heaps of ended threads reused"),
    INVALID_FREES(Kind.COUNTER, "frees of an address that is not a live block's start here (foreign, interior, other allocator's)"),
    INVALID_ADDRESSES(Kind.COUNTER, "realloc/usableSize of an address that is not a block's start here"),
    DOUBLE_FREES(Kind.COUNTER, "frees of a block already free"),
    POLICY_ERRORS(Kind.COUNTER, "exceptions thrown by the release policy (logged, ignored)"),
    DECOMMIT_DISABLED(Kind.COUNTER, "1 once a madvise error disabled decommit"),
    TRIMS(Kind.COUNTER, "trim() calls (the user's, the MBean's, the soft limit's)"),
    TRIM_BYTES(Kind.COUNTER, "bytes released by trim() (decommitted plus unmapped)"),
    SOFT_LIMIT_HITS(Kind.COUNTER, "times the footprint was found above the soft limit (the policy was asked to release)"),
    SOFT_LIMIT_TRIMS(Kind.COUNTER, "of those, times the policy's release was not enough and the core trimmed");

    /** The two shapes of statistics. */
    public enum Kind { COUNT, COUNTER }

    private final Kind kind;
    private final String description;

    Stat(Kind kind, String description) {
        this.kind = kind;
        this.description = description;
    }

    public Kind kind() {
        return kind;
    }

    public String description() {
        return description;
    }

    /** The stable snake_case name, e.g. {@code mmap_calls}. */
    public String statName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
