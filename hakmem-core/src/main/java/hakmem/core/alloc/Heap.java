package hakmem.core.alloc;

import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A thread heap: per size class a current slab and a list of partial slabs, used without locks or atomics by the
 * one thread that holds the heap.
 *
 * <p>A heap is either <em>bound</em> to a live platform thread ({@link #thread} is that thread, found through the
 * allocator's thread-local or its primary-thread cache), or <em>pooled</em> ({@link #pooled}): then any thread may
 * use it while holding {@link #lock}. Virtual threads allocate from pooled heaps, so there is no heap per virtual
 * thread. When a bound thread ends, its heap becomes pooled (nothing is lost: its slabs stay owned by the heap and
 * the next user collects their remote frees), and a new platform thread adopts a pooled heap before creating one.
 */
final class Heap {

    /** The owner of slabs that no heap owns (pooled slabs, large blocks). Never bound, never used. */
    static final Heap NONE = new Heap(null);

    /** Where the heap gets slabs and reports the events of its slow paths (null for the sentinels). */
    private final PolicyDriver driver;
    /** The bound platform thread; null while pooled. Written only by the binding thread under the allocator's lock. */
    Thread thread;
    volatile boolean pooled;
    /**
     * True from the moment the heap's thread is seen ended until a thread adopts the heap: while it is set, the heap
     * releases its empty current slabs too, and a thread that frees into one of its slabs collects the heap's remote
     * frees itself (under {@link #lock}). Written under {@link #lock} or while the heap is unreachable by users.
     */
    volatile boolean abandoned;
    final ReentrantLock lock = new ReentrantLock();
    final Slab[] current;
    /** Per class, the oldest partial slab (refill takes it: it had the most time to gather free blocks). */
    final Slab[] partial;
    /** Per class, the newest partial slab (a slab that leaves the full state joins here). */
    final Slab[] partialTail;
    /** The queue of slabs with remote frees, pushed by other threads: on a cache line of its own. */
    private final RemoteLine remote = new RemoteLine();
    /**
     * Remote frees this heap's thread made (into other heaps' slabs): written only by that thread (or, pooled, under
     * {@link #lock}), read racily by the stats. A shared atomic counter would cost every remote free an atomic add on
     * a line all freeing threads write.
     */
    private long remoteFreesMade;
    private static final VarHandle REMOTE_FREES_MADE;

    static {
        try {
            REMOTE_FREES_MADE = java.lang.invoke.MethodHandles.lookup().findVarHandle(Heap.class, "remoteFreesMade", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Counts a remote free made by the heap's thread (the caller holds the heap). */
    void countRemoteFree() {
        REMOTE_FREES_MADE.setOpaque(this, remoteFreesMade + 1);
    }

    long remoteFreesMade() {
        return (long) REMOTE_FREES_MADE.getOpaque(this);
    }

    /** Scratch for {@link #collect}: the nodes of the remote list being collected (grows to a slab's capacity + 1). */
    private int[] taken = new int[64];

    Heap(PolicyDriver driver) {
        this.driver = driver;
        this.current = new Slab[SizeClasses.COUNT];
        this.partial = new Slab[SizeClasses.COUNT];
        this.partialTail = new Slab[SizeClasses.COUNT];
        java.util.Arrays.fill(current, Slab.NO_SLAB);
    }

    /** Allocates a block of class {@code c} (the slow path of malloc). */
    long alloc(int c) {
        Slab s = current[c];
        if (s.freeHead < 0) {
            s = refill(c);
        }
        return pop(s);
    }

    /**
     * Allocates a block of class {@code c} for calloc: the address, plus 1 in its lowest bit when the block is known
     * to hold only zeros (calloc's classes are 16-byte aligned, so the bit is free).
     */
    long allocZeroed(int c) {
        Slab s = current[c];
        if (s.freeHead < 0) {
            s = refill(c);
        }
        boolean zero = (s.meta[s.freeHead] & Slab.ZERO) != 0;
        return pop(s) | (zero ? 1 : 0);
    }

    private static long pop(Slab s) {
        int i = s.freeHead;
        s.freeHead = Slab.next(s.meta[i]);
        s.meta[i] = Slab.LIVE;
        s.used++;
        return s.start + i * s.blockSize;
    }

    /**
     * Frees block {@code i} of {@code s}, one of this heap's slabs, by a thread that holds the heap: its bound thread
     * (free's fast path) or the holder of a pooled heap's lock (a virtual thread, or any thread freeing a block a
     * virtual thread took).
     *
     * @return true if freed; false if the block is not live (the caller reports the double free)
     */
    boolean freeHeld(Slab s, int i) {
        int[] meta = s.meta;
        if (meta[i] != Slab.LIVE) {
            return false;
        }
        meta[i] = s.freeHead + 1; // LIFO: the next malloc of the class reuses it, hot in cache
        s.freeHead = i;
        if (--s.used == 0 | !s.listed) { // empty, or it was full (on no list)
            afterFree(s);
        }
        return true;
    }

    /**
     * Makes the current slab of class {@code c} one with a free block. Transactional: if the pool cannot supply a
     * slab (the OS refused memory, or the allocator is closing) the exception leaves every list and flag as it was,
     * so the full slab stays current and listed.
     */
    private Slab refill(int c) {
        collectRemote();
        Slab s = current[c];
        if (s.freeHead >= 0) {
            return s;
        }
        Slab p = partial[c];
        if (p != null) {
            unlinkPartial(p);
        } else {
            p = driver.pool(c).acquire(this); // may throw: nothing has changed yet
        }
        if (s != Slab.NO_SLAB) {
            s.listed = false; // full: it rejoins the partial list when one of its blocks is freed
        }
        p.listed = true;
        current[c] = p;
        return p;
    }

    /**
     * The owner's bookkeeping after a free made a full slab non-full or a slab empty. An empty slab goes back to its
     * pool; the current slab too, but only when a partial slab can take its place: a lone current slab is kept, so an
     * alloc/free ping-pong at a slab boundary never reaches the pool (or the OS). An abandoned heap (its thread ended)
     * keeps nothing: its empty current slab goes back too, so memory of ended threads is reusable by every heap.
     */
    void afterFree(Slab s) {
        if (!s.listed) {
            linkPartial(s);
        }
        if (s.used == 0) {
            int c = s.sizeClass;
            if (current[c] != s) {
                unlinkPartial(s);
                driver.slabEmpty(s);
            } else if (partial[c] != null) {
                Slab next = partial[c];
                unlinkPartial(next);
                current[c] = next;
                driver.slabEmpty(s);
            } else if (abandoned) {
                current[c] = Slab.NO_SLAB;
                driver.slabEmpty(s);
            }
        }
    }

    /** Gives every empty current slab back to its pool (a heap just abandoned; its lock held). */
    void releaseEmptyCurrent() {
        for (int c = 0; c < current.length; c++) {
            Slab s = current[c];
            if (s != Slab.NO_SLAB && s.used == 0 && !s.hasRemote()) {
                afterFree(s);
            }
        }
    }

    private void linkPartial(Slab s) {
        s.listed = true;
        int c = s.sizeClass;
        Slab tail = partialTail[c];
        s.nextPartial = null;
        s.prevPartial = tail;
        if (tail != null) {
            tail.nextPartial = s;
        } else {
            partial[c] = s;
        }
        partialTail[c] = s;
    }

    private void unlinkPartial(Slab s) {
        int c = s.sizeClass;
        if (s.prevPartial != null) {
            s.prevPartial.nextPartial = s.nextPartial;
        } else if (partial[c] == s) {
            partial[c] = s.nextPartial;
        }
        if (s.nextPartial != null) {
            s.nextPartial.prevPartial = s.prevPartial;
        } else if (partialTail[c] == s) {
            partialTail[c] = s.prevPartial;
        }
        s.prevPartial = null;
        s.nextPartial = null;
    }

    /** Queues a slab that just received its first pending remote free (any thread). */
    void enqueue(Slab s) {
        Slab head;
        do {
            head = (Slab) RemoteLine.QUEUE.getVolatile(remote);
            s.remote.nextQueued = head;
        } while (!RemoteLine.QUEUE.compareAndSet(remote, head, s));
    }

    boolean hasQueued() {
        return RemoteLine.QUEUE.getVolatile(remote) != null;
    }

    /** Moves every pending remote free back to its slab's free list (owner only). */
    void collectRemote() {
        if (RemoteLine.QUEUE.getVolatile(remote) == null) {
            return;
        }
        Slab s = (Slab) RemoteLine.QUEUE.getAndSet(remote, (Slab) null);
        while (s != null) {
            // read the link before emptying the remote list: once it is empty a pusher may queue s again
            Slab nextInQueue = s.remote.nextQueued;
            s.remote.nextQueued = null;
            collect(s);
            s = nextInQueue;
        }
    }

    private void collect(Slab s) {
        int i = s.takeRemote();
        // 1. Take every node off the list, remembering them. A block has at most one node on the list (see
        // Slab.pushRemote), so the walk ends within capacity + 1 steps (the bound is a second line of defence).
        int count = 0;
        int[] nodes = taken;
        for (int steps = 0; i >= 0 && steps <= s.capacity; steps++) {
            if (count == nodes.length) {
                nodes = taken = java.util.Arrays.copyOf(nodes, Math.min(2 * count, s.capacity + 1));
            }
            nodes[count++] = i;
            i = s.takeOff(i);
        }
        // 2. One fence for the whole list: every "off the list" write above before any state read below (the Dekker
        // pair with a pusher's CAS and link read), instead of a volatile write per node.
        VarHandle.fullFence();
        // 3. Free the blocks. Only a double free that raced with the owner's own free of the same block leaves a node
        // whose block is no longer REMOTE (the owner's free won): it is skipped and counted.
        int n = 0;
        int skipped = 0;
        int head = s.freeHead;
        int[] meta = s.meta;
        for (int k = 0; k < count; k++) {
            int b = nodes[k];
            if (meta[b] == Slab.REMOTE) {
                meta[b] = head + 1; // not ZERO: the block was handed out
                head = b;
                n++;
            } else {
                skipped++;
            }
        }
        s.freeHead = head;
        s.used -= n;
        if (skipped > 0) {
            driver.racedDoubleFrees(skipped);
        }
        if (n > 0) {
            afterFree(s);
        }
    }

    /** Forgets every slab (close). */
    void reset() {
        java.util.Arrays.fill(current, Slab.NO_SLAB);
        java.util.Arrays.fill(partial, null);
        java.util.Arrays.fill(partialTail, null);
        RemoteLine.QUEUE.setVolatile(remote, (Slab) null);
    }
}
