package hakmem.core.alloc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A 64 KiB slab of one size class, or (when {@link #large}) one dedicated mapping holding a single block.
 * All bookkeeping lives on the Java heap: the allocator never reads or writes a block's bytes on malloc or free,
 * so a use-after-free by the user cannot corrupt the free lists.
 *
 * <p>Block states ({@link #state}): {@link #FREE}, {@link #LIVE}, {@link #REMOTE} (freed by another thread, waiting
 * in the remote list for the owner to collect it).
 *
 * <p>Ownership: a slab in use belongs to exactly one {@link Heap} ({@link #owner}); only the thread that holds that
 * heap touches {@link #freeHead}, {@link #used}, the partial-list links and the FREE/LIVE transitions. Any thread
 * may push a LIVE block onto the remote list: CAS its state LIVE -> REMOTE, link it through {@link #next}, CAS
 * {@link #remoteHead}. The pusher that turns the remote list from empty to non-empty also queues the slab on its
 * owner heap; the owner takes the whole list with one getAndSet. Each block is in at most one list at a time, so
 * {@link #next} serves both the local free list and the remote list.
 */
final class Slab {

    static final byte FREE = 0;
    static final byte LIVE = 1;
    static final byte REMOTE = 2;

    private static final VarHandle REMOTE_HEAD;
    private static final VarHandle STATE = MethodHandles.arrayElementVarHandle(byte[].class);

    static {
        try {
            REMOTE_HEAD = MethodHandles.lookup().findVarHandle(Slab.class, "remoteHead", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // ---- geometry: final, safe to read racily ----
    final long start;
    final long length;
    final long blockSize;
    /** ceil(2^32 / blockSize): offset * magic >>> 32 == offset / blockSize for every offset < 64 KiB. */
    final long magic;
    final int capacity;
    final int sizeClass;
    final boolean large;
    final SuperSlab superSlab;
    /** One entry more than {@link #capacity}: the extra one stays FREE, so a tail offset fails the LIVE check. */
    final byte[] state;
    final short[] next;

    // ---- owner state (the thread holding the owner heap) ----
    /** The heap that owns the slab, or {@link Heap#NONE} while it sits in its class pool (or is large). */
    volatile Heap owner = Heap.NONE;
    int freeHead = -1;
    int used;
    /** True while the slab is its heap's current slab or on its partial list. */
    boolean listed;
    Slab prevPartial;
    Slab nextPartial;

    // ---- remote frees ----
    @SuppressWarnings("unused") // accessed through REMOTE_HEAD
    private volatile int remoteHead = -1;
    /** Link in the owner heap's queue of slabs with remote frees; written by the pusher before it publishes. */
    Slab nextQueued;

    // ---- class pool state (guarded by the pool's lock) ----
    boolean inPool;
    boolean committed;
    long emptySince;

    /** A slab of a size class. */
    Slab(long start, int sizeClass, SuperSlab superSlab) {
        this.start = start;
        this.length = SizeClasses.SLAB_BYTES;
        this.blockSize = SizeClasses.BLOCK[sizeClass];
        this.magic = ((1L << 32) + blockSize - 1) / blockSize;
        this.capacity = (int) (SizeClasses.SLAB_BYTES / blockSize);
        this.sizeClass = sizeClass;
        this.large = false;
        this.superSlab = superSlab;
        this.state = new byte[capacity + 1];
        this.next = new short[capacity + 1];
        for (int i = 0; i < capacity; i++) {
            next[i] = (short) (i + 1 < capacity ? i + 1 : -1);
        }
        this.freeHead = capacity > 0 ? 0 : -1;
    }

    /** A dedicated mapping for one large block. */
    Slab(long start, long length) {
        this.start = start;
        this.length = length;
        this.blockSize = length;
        this.magic = 0;
        this.capacity = 1;
        this.sizeClass = -1;
        this.large = true;
        this.superSlab = null;
        this.state = new byte[] {LIVE};
        this.next = new short[1];
    }

    /** The sentinel "no slab": never in the page map, never has a free block. */
    static Slab sentinel() {
        return new Slab(0, 0);
    }

    /** Block index of an offset that is a block start inside the slab, or -1. */
    int indexOf(long offset) {
        if (offset < 0 || offset >= SizeClasses.SLAB_BYTES) {
            return -1;
        }
        int i = (int) ((offset * magic) >>> 32);
        return i < capacity && i * blockSize == offset ? i : -1;
    }

    boolean casState(int i, byte expect, byte update) {
        return STATE.compareAndSet(state, i, expect, update);
    }

    byte stateVolatile(int i) {
        return (byte) STATE.getVolatile(state, i);
    }

    /** Pushes block {@code i} onto the remote list; returns true if the list was empty before. */
    boolean pushRemote(int i) {
        int head;
        do {
            head = (int) REMOTE_HEAD.getVolatile(this);
            next[i] = (short) head;
        } while (!REMOTE_HEAD.compareAndSet(this, head, i));
        return head < 0;
    }

    /** Takes the whole remote list (owner only). */
    int takeRemote() {
        return (int) REMOTE_HEAD.getAndSet(this, -1);
    }

    boolean hasRemote() {
        return (int) REMOTE_HEAD.getVolatile(this) >= 0;
    }
}
