package hakmem.core.alloc;

/**
 * The fields of a {@link Slab}, in two groups on separate cache lines. {@link SlabShared}: what every free reads,
 * the owner's and another thread's alike (geometry, identity, owner), written rarely. {@link SlabOwner}: what the
 * owner's malloc and free write on every call (the free-list head, the used count, the partial-list links). Kept in
 * one object, a remote free's reads of the first group would miss on the line the owner's last malloc wrote, and the
 * owner's next malloc would have to take the line back. HotSpot lays out a superclass's fields before a subclass's
 * (a subclass field may fill a hole the superclass left), so the padding classes put at least 64 bytes between the
 * groups and 56 after the owner's: the int in the first fills a 4-byte hole, which an owner field could otherwise take.
 */
abstract class SlabShared {
    // ---- geometry: final, safe to read racily ----
    final long start;
    final long length;
    final long blockSize;
    /**
     * ceil(2^48 / blockSize). For an offset inside the slab (below 2 MiB) one multiply answers both questions of a
     * free: {@code p = offset * magic}; {@code p >>> 48} is {@code offset / blockSize}, and {@code offset} is a block
     * start exactly when the low 48 bits of {@code p} are below {@code magic} (the rounding error of a start,
     * {@code k * (magic * blockSize - 2^48)}, stays below it; any remainder r >= 1 adds r * magic without wrapping).
     * {@code SlabIndexTest} checks every offset of every class.
     */
    final long magic;
    /** log2(blockSize) for a class of a power-of-two size (C0..C7), else -1: the index and start test by shift. */
    final int shift;
    final int capacity;
    final int sizeClass;
    final boolean large;
    final SuperSlab superSlab;
    /** The allocator the slab belongs to: an identity, compared, never called. */
    final Object allocator;
    /** One entry more than {@link #capacity}: the extra one is never LIVE, so a tail offset fails the LIVE check. */
    final int[] meta;
    /**
     * Remote-list links ({@link Slab#UNLISTED} when the block has no node on the list). Written by the thread that
     * claimed the block (LIVE -> REMOTE) and by the owner when it takes the node off.
     */
    final short[] remoteNext;
    /** The remote list's head and the queue link, written by other threads: on a cache line of their own. */
    final RemoteLine remote;

    // ---- ownership: read by every free, written when the slab changes hands ----
    /**
     * The heap that owns the slab, or {@link Heap#NONE} while it sits in its class pool (or is large). Plain: it only
     * changes while the slab holds no live block, and whoever frees a block learned of it after that change.
     */
    Heap owner = Heap.NONE;
    /**
     * The thread {@link #owner} was bound to when it took the slab (null: pooled or no heap). A free by this thread is
     * the owner's: one load from the slab, no heap lookup. It can only be stale towards a thread that ended (a heap's
     * thread changes only after its thread ended) or towards null (a heap adopted since), and then the free takes the
     * slow path, which refreshes it.
     */
    Thread ownerThread;

    // ---- class pool state (guarded by the pool's lock; the slab holds no block meanwhile) ----
    boolean inPool;
    boolean committed;
    long emptySince;

    SlabShared(Object allocator, long start, long length, long blockSize, long magic, int capacity, int sizeClass,
               boolean large, SuperSlab superSlab, RemoteLine remote, int[] meta, short[] remoteNext) {
        this.allocator = allocator;
        this.start = start;
        this.length = length;
        this.blockSize = blockSize;
        this.magic = magic;
        this.shift = !large && Long.bitCount(blockSize) == 1 ? Long.numberOfTrailingZeros(blockSize) : -1;
        this.capacity = capacity;
        this.sizeClass = sizeClass;
        this.large = large;
        this.superSlab = superSlab;
        this.remote = remote;
        this.meta = meta;
        this.remoteNext = remoteNext;
    }
}

/** Padding between {@link SlabShared} and {@link SlabOwner} (see {@link SlabShared}). */
abstract class SlabGap extends SlabShared {
    @SuppressWarnings("unused")
    private int g00;
    @SuppressWarnings("unused")
    private long g01;
    @SuppressWarnings("unused")
    private long g02;
    @SuppressWarnings("unused")
    private long g03;
    @SuppressWarnings("unused")
    private long g04;
    @SuppressWarnings("unused")
    private long g05;
    @SuppressWarnings("unused")
    private long g06;
    @SuppressWarnings("unused")
    private long g07;
    @SuppressWarnings("unused")
    private long g08;

    SlabGap(Object allocator, long start, long length, long blockSize, long magic, int capacity, int sizeClass,
            boolean large, SuperSlab superSlab, RemoteLine remote, int[] meta, short[] remoteNext) {
        super(allocator, start, length, blockSize, magic, capacity, sizeClass, large, superSlab, remote, meta, remoteNext);
    }
}

/** The owner state of a {@link Slab}: only the thread holding the owner heap touches it. */
abstract class SlabOwner extends SlabGap {
    int freeHead = -1;
    int used;
    /** True while the slab is its heap's current slab or on its partial list. */
    boolean listed;
    Slab prevPartial;
    Slab nextPartial;

    SlabOwner(Object allocator, long start, long length, long blockSize, long magic, int capacity, int sizeClass,
              boolean large, SuperSlab superSlab, RemoteLine remote, int[] meta, short[] remoteNext) {
        super(allocator, start, length, blockSize, magic, capacity, sizeClass, large, superSlab, remote, meta, remoteNext);
    }
}

/** Padding after {@link SlabOwner}: the next object in memory never shares the owner's line. */
abstract class SlabOwnerLine extends SlabOwner {
    @SuppressWarnings("unused")
    private long t01;
    @SuppressWarnings("unused")
    private long t02;
    @SuppressWarnings("unused")
    private long t03;
    @SuppressWarnings("unused")
    private long t04;
    @SuppressWarnings("unused")
    private long t05;
    @SuppressWarnings("unused")
    private long t06;
    @SuppressWarnings("unused")
    private long t07;

    SlabOwnerLine(Object allocator, long start, long length, long blockSize, long magic, int capacity, int sizeClass,
                  boolean large, SuperSlab superSlab, RemoteLine remote, int[] meta, short[] remoteNext) {
        super(allocator, start, length, blockSize, magic, capacity, sizeClass, large, superSlab, remote, meta, remoteNext);
    }
}
