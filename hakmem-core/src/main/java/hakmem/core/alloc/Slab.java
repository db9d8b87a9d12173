package hakmem.core.alloc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A slab of one size class (64 KiB, or a whole superslab for the medium classes), or (when {@link #large}) one block of the large heap ({@link LargeBlocks}).
 * All bookkeeping lives on the Java heap: the allocator never reads or writes a block's bytes on malloc or free,
 * so a use-after-free by the user cannot corrupt the free lists.
 *
 * <p>Per block one int in {@link #meta}: a free block holds {@code next + 1} (its successor on the local free list,
 * 0 at the end), plus {@link #ZERO} while its bytes are known to be zero; a live block holds {@link #LIVE}; a block freed by another thread and waiting in the remote list holds
 * {@link #REMOTE}, and its remote-list link is in {@link #remoteNext}. One array serves state and the local list, so
 * the hot path loads one array; the remote link lives apart so that no owner write can break the remote list.
 *
 * <p>Ownership: a slab in use belongs to exactly one {@link Heap} ({@link #owner}); only the thread that holds that
 * heap touches {@link #freeHead}, {@link #used}, the partial-list links and the FREE/LIVE transitions. Any thread
 * may push a LIVE block onto the remote list: CAS its entry LIVE -> REMOTE (this claims the block and catches a
 * double free), link it, CAS the remote head (in {@link #remote}, a {@link RemoteLine}). The pusher that turns the remote list from empty to non-empty also
 * queues the slab on its owner heap; the owner takes the whole list with one getAndSet.
 */
final class Slab {

    static final int LIVE = 0x4000_0000;
    static final int REMOTE = 0x2000_0000;
    /**
     * Set in a free entry whose block is known to hold only zeros: never handed out since the slab's memory was
     * fresh from mmap or dropped with MADV_DONTNEED. calloc skips zeroing such blocks; every free clears it.
     */
    static final int ZERO = 0x1000_0000;
    /** The bits of a free entry that hold {@code next + 1}. */
    static final int NEXT = ZERO - 1;

    private static final VarHandle META = MethodHandles.arrayElementVarHandle(int[].class);
    private static final VarHandle LINK = MethodHandles.arrayElementVarHandle(short[].class);
    /** {@link #remoteNext} value of a block that has no node on the remote list. */
    static final short UNLISTED = -2;


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
    static final int MAGIC_SHIFT = 48;
    static final long MAGIC_LOW = (1L << MAGIC_SHIFT) - 1;
    final int capacity;
    final int sizeClass;
    final boolean large;
    final SuperSlab superSlab;
    /** The allocator the slab belongs to: an identity, compared, never called. */
    final Object allocator;
    /** One entry more than {@link #capacity}: the extra one is never LIVE, so a tail offset fails the LIVE check. */
    final int[] meta;
    /**
     * Remote-list links ({@link #UNLISTED} when the block has no node on the list). Written by the thread that claimed
     * the block (LIVE -> REMOTE) and by the owner when it takes the node off.
     */
    final short[] remoteNext;

    // ---- owner state (the thread holding the owner heap) ----
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
    int freeHead = -1;
    int used;
    /** True while the slab is its heap's current slab or on its partial list. */
    boolean listed;
    Slab prevPartial;
    Slab nextPartial;

    // ---- remote frees ----
    /** The remote list's head and the queue link, written by other threads: on a cache line of their own. */
    final RemoteLine remote;
    /** The remote line of large blocks and {@link #NO_SLAB}: never pushed to (their frees never take the remote path). */
    private static final RemoteLine NO_REMOTE = new RemoteLine();

    // ---- class pool state (guarded by the pool's lock) ----
    boolean inPool;
    boolean committed;
    long emptySince;

    /** A slab of a size class. */
    Slab(Object allocator, long start, int sizeClass, SuperSlab superSlab) {
        this.allocator = allocator;
        this.start = start;
        this.length = SizeClasses.slabBytes(sizeClass);
        this.blockSize = SizeClasses.BLOCK[sizeClass];
        this.magic = ((1L << MAGIC_SHIFT) + blockSize - 1) / blockSize;
        this.capacity = (int) (length / blockSize);
        this.sizeClass = sizeClass;
        this.large = false;
        this.superSlab = superSlab;
        this.remote = new RemoteLine();
        this.meta = new int[capacity + 1];
        this.remoteNext = new short[capacity + 1];
        java.util.Arrays.fill(remoteNext, UNLISTED);
        resetZeroed();
    }

    /**
     * Rebuilds the free list in address order with every block marked {@link #ZERO}: for a slab that holds no block
     * and whose memory is fresh or was dropped with MADV_DONTNEED (pool lock held, or not yet published).
     */
    void resetZeroed() {
        for (int i = 0; i < capacity; i++) {
            meta[i] = (i + 1 < capacity ? i + 2 : 0) | ZERO; // next = i + 1
        }
        this.freeHead = capacity > 0 ? 0 : -1;
    }

    /** The free-list successor stored in a free entry, or -1 at the end. */
    static int next(int entry) {
        return (entry & NEXT) - 1;
    }

    /** True if a meta entry is a free block (neither live nor waiting on the remote list). */
    static boolean isFree(int entry) {
        return (entry & (LIVE | REMOTE)) == 0;
    }

    /** One large block of the large heap: its units of a region. */
    Slab(Object allocator, long start, long length) {
        this.allocator = allocator;
        this.start = start;
        this.length = length;
        this.blockSize = length;
        this.magic = 0;
        this.capacity = 1;
        this.sizeClass = -1;
        this.large = true;
        this.superSlab = null;
        this.remote = NO_REMOTE;
        this.meta = new int[] {LIVE};
        this.remoteNext = new short[1];
    }

    /** The sentinel "no slab" (a heap's current slab before its first refill): never in the page map, never free. */
    static final Slab NO_SLAB = new Slab(null, 0, 0);

    /** Block index of an offset that is a block start inside the slab, or -1. */
    int indexOf(long offset) {
        if (offset < 0 || offset >= length) {
            return -1;
        }
        long p = offset * magic;
        int i = (int) (p >>> MAGIC_SHIFT);
        return i < capacity && (p & MAGIC_LOW) < magic ? i : -1;
    }

    boolean casMeta(int i, int expect, int update) {
        return META.compareAndSet(meta, i, expect, update);
    }

    void setMetaVolatile(int i, int value) {
        META.setVolatile(meta, i, value);
    }

    int metaVolatile(int i) {
        return (int) META.getVolatile(meta, i);
    }

    static final int PUSHED = 0;
    static final int PUSHED_FIRST = 1;
    static final int CARRIED = -1;

    /**
     * Pushes block {@code i}, already claimed (REMOTE), onto the remote list: {@link #PUSHED_FIRST} if the list was
     * empty before (the caller queues the slab), {@link #PUSHED} otherwise. If the block still has a node on the list,
     * left by an earlier double free that raced with the owner's free, that node carries this free
     * ({@link #CARRIED}): pushing again would overwrite its link and cut the list.
     */
    int pushRemote(int i) {
        if ((short) LINK.getVolatile(remoteNext, i) != UNLISTED) { // after the CAS: Dekker pair with takeOff()
            return CARRIED;
        }
        int head;
        do {
            head = (int) RemoteLine.HEAD.getVolatile(remote);
            remoteNext[i] = (short) head;
        } while (!RemoteLine.HEAD.compareAndSet(remote, head, i));
        return head < 0 ? PUSHED_FIRST : PUSHED;
    }

    /**
     * Takes node {@code i} off a list taken with {@link #takeRemote()} and returns its successor. The caller issues a
     * full fence after taking off the nodes and before it reads their blocks' states: as the pusher's CAS orders its
     * state write before it reads the link, one of the two sees the other (see {@link Heap}'s collect).
     */
    int takeOff(int i) {
        int next = remoteNext[i];
        LINK.setOpaque(remoteNext, i, UNLISTED);
        return next;
    }

    /** Takes the whole remote list (owner only). */
    int takeRemote() {
        return (int) RemoteLine.HEAD.getAndSet(remote, -1);
    }

    boolean hasRemote() {
        return (int) RemoteLine.HEAD.getVolatile(remote) >= 0;
    }
}
