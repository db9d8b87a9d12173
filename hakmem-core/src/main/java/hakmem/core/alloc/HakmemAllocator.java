package hakmem.core.alloc;

import hakmem.api.Allocator;
import hakmem.api.AllocatorStats;
import hakmem.api.OptionValue;
import hakmem.api.spi.Clock;
import hakmem.api.spi.ReleasePolicy;
import hakmem.api.spi.SizeClass;
import hakmem.api.spi.StatsSink;
import hakmem.core.jfr.EventSource;
import hakmem.core.os.OsLayer;
import hakmem.core.os.SystemClock;
import hakmem.core.stats.Stat;
import hakmem.core.stats.Stats;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The SuperSlab allocator: the API facade (argument checks and messages naming the user's call), the malloc/free
 * fast paths, and the heap registry (binding, pooling, adoption, abandoned heaps). The policy lives in
 * {@link PolicyDriver}, blocks above 1 MiB in {@link LargeBlocks}, a class's superslabs in {@link ClassPool}.
 *
 * <h2>Hot path</h2>
 * {@link #malloc} of up to 1 MiB (a size->class formula up to 1 KiB, a table above) and {@link #free} by the thread
 * that owns the block's slab: one thread-to-heap lookup (a primary-thread cache, else a {@link ThreadLocal}), then a
 * few loads and stores on the heap-side slab bookkeeping. No lock, no atomic, no allocation, no policy call.
 * Everything else is a slow path.
 *
 * <h2>Concurrency</h2>
 * See {@link Heap} (who may use a heap) and {@link Slab} (the remote-free protocol). Class pools, the page map, the
 * large-block cache and the heap registry are lock-protected slow paths. The policy is called with no pool or
 * registry lock held (a pooled heap's lock may be held: pools never take heap locks). See {@link #close()} for what
 * racing close guarantees.
 */
public final class HakmemAllocator implements Allocator {

    private static final Heap UNBOUND = new Heap(null);
    private static final long MAX_ALIGNMENT = 1L << 20;
    /** The longest tick interval a policy may ask for: one day (a longer one is a bug, e.g. an overflow). */
    public static final long MAX_TICK_MILLIS = PolicyDriver.MAX_TICK_MILLIS;

    private final String policyId;
    private final OsLayer os;
    private final Stats stats;
    private final StatsSink sink;
    private final boolean osStats;
    private final List<OptionValue> optionRows;
    private final ClassPool[] pools;
    private final ThreadLocal<Heap> boundHeap = ThreadLocal.withInitial(() -> UNBOUND);
    /*
     * The primary thread: the first thread to bind a heap while no live thread holds this role. Its lookup skips the
     * ThreadLocal. The three fields are written together under heapLock, and only when the previous primary thread
     * ended, so a thread that reads its own Thread in primaryThread reads its own heap in the other two.
     */
    private Thread primaryThread;
    private Heap primaryHeap = UNBOUND;
    private Slab[] primaryCurrent = UNBOUND.current;
    /**
     * Every other bound thread's heap, direct-mapped by thread id ({@code threadId() & (THREAD_SLOTS - 1)}): a slot
     * answers for the caller only if its heap's thread is the caller, so a lookup is one array load and a compare,
     * with no hashing. Two live threads whose ids share a slot: the later one falls back to the ThreadLocal (slow
     * path). Slots are written under heapLock; a racy reader sees a heap whose thread is not itself, or its own.
     */
    private final Heap[] byThread = new Heap[THREAD_SLOTS];
    private static final int THREAD_SLOTS = 1024;
    private final Object heapLock = new Object();
    private final List<Heap> bound = new ArrayList<>();
    /** Every heap this allocator made (bound or pooled), for the figures they count themselves. */
    private final List<Heap> everyHeap = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Remote frees by threads without a bound heap (virtual threads, threads that never allocated). */
    private final java.util.concurrent.atomic.LongAdder unboundRemoteFrees = new java.util.concurrent.atomic.LongAdder();
    private volatile Heap[] pooledHeaps = new Heap[0];
    private final int maxPooled;
    private volatile boolean closed;
    /**
     * The scope of all memory this allocator hands out as segments, and of its own accesses to blocks (calloc's
     * zeroing, realloc's copy, prewarm's touch). {@link #close()} closes it before unmapping anything, so a segment
     * used after close throws {@link IllegalStateException} instead of faulting, and no access of ours is in flight
     * when the memory goes.
     */
    private final Arena scope = Arena.ofShared();
    private final LargeBlocks large;
    private final PolicyDriver driver;
    private final Thread exitHook;
    private final EventSource source;
    private final SoftLimit softLimit;
    /** Run at close before anything is unmapped (the observers unregister); see {@link #onClose}. */
    private final List<Runnable> closeActions = new java.util.concurrent.CopyOnWriteArrayList<>();

    public HakmemAllocator(String policyId, ReleasePolicy policy, OsLayer os, Stats stats, StatsSink sink,
                           boolean osStats, List<OptionValue> optionRows) {
        this(policyId, policy, os, stats, sink, osStats, optionRows, 0, new SystemClock());
    }

    /** @param softLimitBytes the soft limit on the committed footprint ({@link SoftLimit}); 0: none */
    public HakmemAllocator(String policyId, ReleasePolicy policy, OsLayer os, Stats stats, StatsSink sink,
                           boolean osStats, List<OptionValue> optionRows, long softLimitBytes) {
        this(policyId, policy, os, stats, sink, osStats, optionRows, softLimitBytes, new SystemClock());
    }

    /** @param clock the clock box: the policy's time and the ticker's scheduler */
    public HakmemAllocator(String policyId, ReleasePolicy policy, OsLayer os, Stats stats, StatsSink sink,
                           boolean osStats, List<OptionValue> optionRows, Clock clock) {
        this(policyId, policy, os, stats, sink, osStats, optionRows, 0, clock);
    }

    /**
     * @param softLimitBytes the soft limit on the committed footprint ({@link SoftLimit}); 0: none
     * @param clock          the clock box: the policy's time, the large heap's and the ticker's scheduler
     */
    public HakmemAllocator(String policyId, ReleasePolicy policy, OsLayer os, Stats stats, StatsSink sink,
                           boolean osStats, List<OptionValue> optionRows, long softLimitBytes, Clock clock) {
        this.source = EventSource.next(policyId);
        os.eventSource(source);
        stats.derive(Stat.HEAPS, Stat.METADATA_BYTES, MetadataSize.HEAP);
        stats.external(Stat.REMOTE_FREES, new Stats.External() {
            @Override
            public long current() {
                return remoteFrees();
            }

            @Override
            public long peak() {
                return remoteFrees();
            }

            @Override
            public long total() {
                return remoteFrees();
            }
        });
        java.util.Arrays.fill(byThread, UNBOUND);
        this.policyId = policyId;
        this.os = os;
        this.stats = stats;
        this.sink = sink;
        this.osStats = osStats;
        this.optionRows = List.copyOf(optionRows);
        List<SizeClass> classes = SizeClasses.describe();
        this.pools = new ClassPool[SizeClasses.COUNT];
        for (int c = 0; c < pools.length; c++) {
            pools[c] = new ClassPool(this, classes.get(c), os, stats, scope, source);
        }
        this.maxPooled = Math.max(2, Runtime.getRuntime().availableProcessors());
        this.large = new LargeBlocks(this, os, stats, clock::nanoTime, source);
        this.driver = new PolicyDriver(policyId, policy, this, pools, classes, large, os, stats, source, clock);
        this.softLimit = new SoftLimit(softLimitBytes, stats, driver, source);
        long tick;
        try {
            tick = driver.open();
        } catch (RuntimeException | Error e) {
            closed = true;
            releaseAll();
            throw e;
        }
        if (tick > 0) {
            driver.startTicker(tick, this::maintain);
        }
        this.exitHook = osStats ? new Thread(() -> {
            if (!closed) {
                sink.report(stats.snapshot(policyId), "exit");
            }
        }, "hakmem-stats-exit") : null;
        if (exitHook != null) {
            Runtime.getRuntime().addShutdownHook(exitHook);
        }
    }

    // ------------------------------------------------------------------ hot path

    /** The calling thread's heap, or {@link #UNBOUND} (never null). */
    private Heap heapOf(Thread t) {
        if (primaryThread == t) {
            return primaryHeap;
        }
        Heap h = byThread[slot(t)];
        return h.thread == t ? h : boundHeap.get();
    }

    private static int slot(Thread t) {
        return (int) t.threadId() & (THREAD_SLOTS - 1);
    }

    @Override
    public long malloc(long size) {
        int c;
        if ((size - 1) >>> 10 == 0) { // 1 <= size <= 1024: a formula
            c = 61 - Long.numberOfLeadingZeros((size - 1) | 15);
        } else if (size > 0 && size <= SizeClasses.MAX_CLASS) { // up to 1 MiB: a table
            c = SizeClasses.mallocClass(size);
        } else {
            return mallocSlow(size);
        }
        Thread t = Thread.currentThread();
        Slab[] current;
        if (primaryThread == t) {
            current = primaryCurrent;
        } else {
            Heap h = byThread[slot(t)];
            current = h.thread == t ? h.current : UNBOUND.current; // UNBOUND's slabs have no free block: the slow path
        }
        Slab s = current[c];
        int i = s.freeHead;
        if (i >= 0) {
            int[] meta = s.meta;
            s.freeHead = (meta[i] & Slab.NEXT) - 1;
            meta[i] = Slab.LIVE;
            s.used++;
            return s.start + i * s.blockSize;
        }
        return mallocSlow(size);
    }

    @Override
    public void free(long address) {
        Slab s = PageMap.get(address);
        if (s != null) {
            // the caller's own slab (never true for pooled or large slabs: no owner thread) of this allocator
            if (s.ownerThread == Thread.currentThread() & s.allocator == this) {
                long p = (address - s.start) * s.magic; // index and start test in one multiply (Slab.magic)
                int i = (int) (p >>> Slab.MAGIC_SHIFT);
                if ((p & Slab.MAGIC_LOW) < s.magic && s.owner.freeHeld(s, i)) {
                    return;
                }
            }
        }
        freeSlow(address, s);
    }

    // ------------------------------------------------------------------ slow paths

    private long mallocSlow(long size) {
        checkOpen();
        checkSize("malloc", size);
        long n = Math.max(size, 1);
        if (n > SizeClasses.MAX_CLASS) {
            return allocLarge(n, LargeBlocks.ALIGN, size) & ~1L;
        }
        return allocSmall(SizeClasses.mallocClass(n), size, false);
    }

    private static void checkSize(String op, long size) {
        if (size < 0 || size > MAX_SIZE) {
            throw new IllegalArgumentException(op + ": size " + size + " is negative or above the maximum " + MAX_SIZE);
        }
    }

    /**
     * Allocates from class {@code c}; an OS refusal names the {@code request} that caused it. With {@code zeroed} the
     * result carries 1 in its lowest bit when the block is known to hold only zeros (see {@link Heap#allocZeroed}).
     */
    private long allocSmall(int c, long request, boolean zeroed) {
        try {
            long r = allocSmall(c, zeroed);
            softLimit.afterAllocation();
            return r;
        } catch (OsLayer.ClosedException e) {
            throw closedException();
        } catch (OutOfMemoryError e) {
            throw new OutOfMemoryError("hakmem: cannot allocate " + request + " bytes: " + e.getMessage());
        }
    }

    private long allocSmall(int c, boolean zeroed) {
        Thread t = Thread.currentThread();
        Heap h = heapOf(t);
        if (h == UNBOUND && !t.isVirtual()) {
            h = bind(t);
        }
        if (h != UNBOUND) {
            return zeroed ? h.allocZeroed(c) : h.alloc(c);
        }
        while (true) {
            Heap p = pickPooled(t);
            p.lock.lock();
            try {
                if (p.pooled) {
                    checkOpen();
                    if (p.abandoned) {
                        p.abandoned = false; // in use again: keep its current slabs (a volatile write only then)
                    }
                    return zeroed ? p.allocZeroed(c) : p.alloc(c);
                }
            } finally {
                p.lock.unlock();
            }
        }
    }

    /** A large block: its address, plus 1 in the lowest bit when it is known to hold only zeros. */
    private long allocLarge(long n, long alignment, long request) {
        try {
            long r = large.take(n, alignment);
            softLimit.afterAllocation();
            return r;
        } catch (OsLayer.ClosedException e) {
            throw closedException();
        } catch (OutOfMemoryError e) {
            throw new OutOfMemoryError("hakmem: cannot allocate " + request + " bytes: " + e.getMessage());
        }
    }

    private Heap pickPooled(Thread t) {
        Heap[] heaps = pooledHeaps;
        if (heaps.length > 0) {
            int start = (int) (t.threadId() % heaps.length);
            for (int k = 0; k < heaps.length; k++) {
                Heap h = heaps[(start + k) % heaps.length];
                if (!h.lock.isLocked()) {
                    return h;
                }
            }
            if (heaps.length >= maxPooled) {
                return heaps[start];
            }
        }
        synchronized (heapLock) {
            checkOpen();
            Heap h = newHeapLocked();
            h.pooled = true;
            addPooledLocked(h);
            stats.increment(Stat.HEAPS);
            return h;
        }
    }

    private Heap newHeapLocked() {
        Heap h = new Heap(driver);
        everyHeap.add(h);
        return h;
    }

    /** The remote frees made so far: each heap counts its thread's, unbound threads share an adder. */
    private long remoteFrees() {
        long n = unboundRemoteFrees.sum();
        for (Heap h : everyHeap) {
            n += h.remoteFreesMade();
        }
        return n;
    }

    private void addPooledLocked(Heap h) {
        Heap[] old = pooledHeaps;
        Heap[] nu = Arrays.copyOf(old, old.length + 1);
        nu[old.length] = h;
        pooledHeaps = nu;
    }

    private void removePooledLocked(Heap h) {
        Heap[] old = pooledHeaps;
        Heap[] nu = new Heap[old.length - 1];
        int j = 0;
        for (Heap x : old) {
            if (x != h) {
                nu[j++] = x;
            }
        }
        pooledHeaps = nu;
    }

    /** Binds a heap to a platform thread: adopts a pooled heap (e.g. of an ended thread) or makes a new one. */
    private Heap bind(Thread t) {
        List<Heap> abandoned;
        Heap h = null;
        synchronized (heapLock) {
            checkOpen();
            abandoned = reclaimEndedLocked();
            for (Heap p : pooledHeaps) {
                if (p.lock.tryLock()) {
                    h = p;
                    break;
                }
            }
            if (h != null) {
                removePooledLocked(h);
                h.pooled = false;
                h.abandoned = false;
                h.thread = t;
                h.lock.unlock();
                abandoned.remove(h);
                stats.increment(Stat.HEAPS_ADOPTED);
            } else {
                h = newHeapLocked();
                h.thread = t;
                stats.increment(Stat.HEAPS);
            }
            bound.add(h);
            boundHeap.set(h);
            Thread prev = primaryThread;
            if (prev == null || !prev.isAlive()) {
                setPrimaryLocked(t, h);
            }
            Heap occupant = byThread[slot(t)];
            Thread holder = occupant.thread;
            if (holder == null || !holder.isAlive()) {
                byThread[slot(t)] = h;
            }
        }
        // outside the registry lock: collecting may release slabs, which calls the policy
        h.collectRemote();
        tidyAbandoned(abandoned);
        return h;
    }

    private void setPrimaryLocked(Thread t, Heap h) {
        primaryThread = null; // never pair a thread with another thread's heap, even transiently
        primaryHeap = h;
        primaryCurrent = h.current;
        primaryThread = t;
    }

    /**
     * Turns the heaps of ended platform threads into pooled, abandoned heaps, and returns them: the caller tidies them
     * ({@link #tidyAbandoned}) once it has left the registry lock.
     */
    private List<Heap> reclaimEndedLocked() {
        List<Heap> ended = new ArrayList<>(0);
        for (int k = bound.size() - 1; k >= 0; k--) {
            Heap h = bound.get(k);
            if (!h.thread.isAlive()) { // the thread's last action happens-before this
                bound.remove(k);
                if (byThread[slot(h.thread)] == h) {
                    byThread[slot(h.thread)] = UNBOUND;
                }
                h.thread = null;
                h.abandoned = true;
                h.pooled = true;
                addPooledLocked(h);
                ended.add(h);
                if (primaryHeap == h) {
                    setPrimaryLocked(null, UNBOUND);
                }
            }
        }
        return ended;
    }

    /** Collects the remote frees of just-abandoned heaps and gives their empty current slabs back to the pools. */
    private void tidyAbandoned(List<Heap> heaps) {
        for (Heap h : heaps) {
            if (h.lock.tryLock()) {
                try {
                    if (h.pooled && h.abandoned && !closed) {
                        h.collectRemote();
                        h.releaseEmptyCurrent();
                    }
                } finally {
                    h.lock.unlock();
                }
            }
            collectAbandoned(h);
        }
    }

    /**
     * Collects the remote frees queued on an abandoned heap, unless another thread holds it (that thread collects
     * on its own slow path). After unlocking it looks again: a free queued while we held the lock found the lock
     * taken and left the collection to us.
     */
    private void collectAbandoned(Heap h) {
        while (h.hasQueued() && h.lock.tryLock()) {
            try {
                if (!h.pooled || closed) {
                    return;
                }
                h.collectRemote();
            } finally {
                h.lock.unlock();
            }
        }
    }

    /** Periodic and on-demand housekeeping: reclaim ended threads' heaps, collect pooled heaps' remote frees. */
    void maintain() {
        if (!reclaimEnded()) {
            return;
        }
        for (Heap p : pooledHeaps) {
            if (p.hasQueued() && p.lock.tryLock()) {
                try {
                    if (p.pooled && !closed) {
                        p.collectRemote();
                    }
                } finally {
                    p.lock.unlock();
                }
            }
        }
    }

    private void freeSlow(long address, Slab s) {
        checkOpen();
        int i;
        // the common case, kept small enough to inline: a block start in a slab of ours (a remote free)
        if (s != null && s.allocator == this && !s.large && (i = s.indexOf(address - s.start)) >= 0) {
            freeSmall(address, s, i);
        } else {
            freeOther(address, s);
        }
    }

    /** free of a null, large, foreign or interior address (each with its exception). */
    private void freeOther(long address, Slab s) {
        if (address == 0) {
            return;
        }
        Slab found = lookup("free", address, s, true);
        if (found.large) {
            long cached;
            try {
                cached = large.free(found, address, "free", driver.largeCacheBound());
            } catch (OsLayer.ClosedException e) {
                throw closedException();
            }
            if (cached > 0) {
                driver.largeCached(cached);
            }
            return;
        }
        freeSmall(address, found, found.indexOf(address - found.start));
    }

    /** free of block {@code i} of {@code found}, a slab of ours, that the fast path did not take. */
    private void freeSmall(long address, Slab found, int i) {
        Thread me = Thread.currentThread();
        Heap h = heapOf(me);
        if (found.owner == h) {
            if (found.ownerThread != me && h.thread == me) { // a slab of a heap this thread adopted: refresh, retry
                found.ownerThread = me;
                free(address);
                return;
            }
            // our own slab but the block is not LIVE
            throw doubleFree(address, found.meta[i]);
        }
        Heap owner = found.owner;
        if (owner.pooled && owner.lock.tryLock()) { // a pooled heap nobody holds: free into it as its holder
            int freed = -1;
            try {
                // under its lock a pooled heap's slabs stay its own; a heap bound meanwhile is its thread's alone
                if (owner.pooled && found.owner == owner && !closed) {
                    freed = owner.freeHeld(found, i) ? 1 : 0;
                }
            } finally {
                owner.lock.unlock();
            }
            if (freed > 0) {
                countRemoteFree(h);
                return;
            }
            if (freed == 0) {
                throw doubleFree(address, found.metaVolatile(i));
            }
        }
        if (!found.casMeta(i, Slab.LIVE, Slab.REMOTE)) {
            throw doubleFree(address, found.metaVolatile(i));
        }
        // the block is ours to push now; its slab cannot change owner while it holds a LIVE or REMOTE block
        owner = found.owner;
        int pushed = found.pushRemote(i);
        if (pushed == Slab.PUSHED_FIRST) {
            owner.enqueue(found);
        } else if (pushed == Slab.CARRIED) {
            driver.racedDoubleFrees(1); // the stale node of that earlier race now carries this (valid) free
        }
        countRemoteFree(h);
        if (owner.abandoned) {
            collectAbandoned(owner);
        } else {
            Thread t = owner.thread;
            if (t != null && !t.isAlive()) { // the owner ended: nobody would ever collect this free
                reclaimEnded();
                collectAbandoned(owner);
            }
        }
    }

    /** Counts a free by a thread that does not own the slab in {@code h}, the caller's heap (or the shared adder). */
    private void countRemoteFree(Heap h) {
        if (h != UNBOUND) {
            h.countRemoteFree();
        } else {
            unboundRemoteFrees.increment();
        }
    }

    /** Abandons the heaps of ended threads and tidies them; false (doing nothing) once closed. */
    private boolean reclaimEnded() {
        List<Heap> abandoned;
        synchronized (heapLock) {
            if (closed) {
                return false;
            }
            abandoned = reclaimEndedLocked();
        }
        tidyAbandoned(abandoned);
        return true;
    }

    /**
     * The slab of a block address a user passed to {@code op}, or an exception naming the call: a foreign address,
     * an interior pointer, a block of another allocator, or a large block freed recently. {@code s} is the page map's
     * answer. {@code countAsFree}: the call is a free (counted in invalid_frees / double_frees), else a query
     * (counted in invalid_addresses).
     */
    private Slab lookup(String op, long address, Slab s, boolean countAsFree) {
        Stat invalid = countAsFree ? Stat.INVALID_FREES : Stat.INVALID_ADDRESSES;
        if (s == null || s.large && s.metaVolatile(0) != Slab.LIVE) { // the page map indexes large blocks by their start
            Slab b = address == 0 ? null : large.liveBlockContaining(address);
            if (b != null && b.start != address) {
                stats.increment(invalid);
                throw new IllegalArgumentException(op + ": " + hex(address) + " is not the start of a block (interior pointer into a "
                        + b.length + "-byte block)");
            }
        }
        if (s == null) {
            if (address != 0 && large.recentlyFreed(address)) {
                if (countAsFree) {
                    stats.increment(Stat.DOUBLE_FREES);
                    throw new IllegalStateException(op + ": block " + hex(address) + " is already free (double free of a block "
                            + "above " + SizeClasses.MAX_CLASS + " bytes, whose mapping is gone)");
                }
                throw new IllegalStateException(op + ": block " + hex(address) + " is free");
            }
            stats.increment(invalid);
            throw new IllegalArgumentException(op + ": " + hex(address) + (address == 0 ? " is the null address" : " was not allocated by this allocator"));
        }
        if (s.allocator != this) {
            stats.increment(invalid);
            throw new IllegalArgumentException(op + ": " + hex(address) + " was allocated by another allocator");
        }
        if (s.large ? address != s.start : s.indexOf(address - s.start) < 0) {
            stats.increment(invalid);
            throw new IllegalArgumentException(op + ": " + hex(address) + " is not the start of a block (interior pointer into a "
                    + s.blockSize + "-byte block)");
        }
        return s;
    }

    private static String hex(long address) {
        return "0x" + Long.toHexString(address);
    }

    private RuntimeException doubleFree(long address, int meta) {
        if (meta != Slab.LIVE) { // free, or freed by another thread and not yet collected
            stats.increment(Stat.DOUBLE_FREES);
            return new IllegalStateException("free: block 0x" + Long.toHexString(address) + " is already free (double free)");
        }
        stats.increment(Stat.INVALID_FREES);
        return new IllegalArgumentException("free: 0x" + Long.toHexString(address) + " is not a live block");
    }

    // ------------------------------------------------------------------ the rest of the API

    @Override
    public long calloc(long count, long size) {
        checkOpen();
        if (count < 0 || size < 0) {
            throw new IllegalArgumentException("calloc: count " + count + " and size " + size + " must not be negative");
        }
        long total;
        try {
            total = Math.multiplyExact(count, size);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("calloc: count " + count + " * size " + size + " overflows");
        }
        if (total > MAX_SIZE) {
            throw new IllegalArgumentException("calloc: count " + count + " * size " + size + " = " + total
                    + " bytes is above the maximum " + MAX_SIZE);
        }
        long n = Math.max(total, 1);
        long r = n > SizeClasses.MAX_CLASS ? allocLarge(n, LargeBlocks.ALIGN, total)
                : allocSmall(SizeClasses.mallocClass(n), total, true);
        long a = r & ~1L;
        if ((r & 1) == 0 && total > 0) {
            try {
                memory(a, total).fill((byte) 0);
            } catch (IllegalStateException e) { // our scope closed under us: close raced this call
                throw closedException();
            }
        }
        return a;
    }

    @Override
    public long realloc(long address, long size) {
        if (address == 0) {
            checkOpen();
            checkSize("realloc", size);
            return malloc(size);
        }
        checkOpen();
        checkSize("realloc", size);
        Slab s = lookup("realloc", address, PageMap.get(address), false);
        long usable = usable("realloc", address, s);
        long n = Math.max(size, 1);
        boolean fits = n <= usable && (!s.large
                ? SizeClasses.mallocClass(n) == s.sizeClass
                : n > SizeClasses.MAX_CLASS && n > usable / 2);
        if (fits) {
            return address;
        }
        long b = malloc(n);
        try {
            long len = Math.min(usable, n);
            MemorySegment.copy(memory(address, len), 0, memory(b, len), 0, len);
        } catch (IllegalStateException e) { // our scope closed under us: close raced this call
            throw closedException();
        }
        free(address);
        return b;
    }

    @Override
    public long usableSize(long address) {
        checkOpen();
        return usable("usableSize", address, lookup("usableSize", address, PageMap.get(address), false));
    }

    /** The usable size of the block at {@code address} in {@code s}, which {@link #lookup} found; the block must be live. */
    private long usable(String op, long address, Slab s) {
        int i = s.large ? 0 : s.indexOf(address - s.start);
        if (s.metaVolatile(i) != Slab.LIVE) {
            throw new IllegalStateException(op + ": block 0x" + Long.toHexString(address) + " is free");
        }
        return s.blockSize;
    }

    /** A segment over {@code length} bytes of our memory at {@code address}, in the allocator's scope. */
    private MemorySegment memory(long address, long length) {
        return MemorySegment.ofAddress(address).reinterpret(length, scope, null);
    }

    @Override
    public MemorySegment allocate(long byteSize, long byteAlignment) {
        checkOpen();
        checkSize("allocate", byteSize);
        if (byteAlignment <= 0 || Long.bitCount(byteAlignment) != 1 || byteAlignment > MAX_ALIGNMENT) {
            throw new IllegalArgumentException("allocate: alignment " + byteAlignment + " must be a power of two <= "
                    + MAX_ALIGNMENT);
        }
        long n = Math.max(byteSize, 1);
        long a;
        if (n <= 8 && byteAlignment <= 8) {
            a = allocSmall(0, byteSize, false); // C0 serves what needs no 16-byte alignment
        } else if (byteAlignment <= 16) {
            a = malloc(n); // n is within bounds: malloc's own checks cannot name the wrong call
        } else {
            int c = SizeClasses.alignedClass(n, byteAlignment);
            a = c >= 0 ? allocSmall(c, byteSize, false) : allocLarge(Math.max(n, byteAlignment), byteAlignment, byteSize) & ~1L;
        }
        try {
            return memory(a, byteSize);
        } catch (IllegalStateException e) { // the scope closed: close raced this call (the memory is gone with it)
            throw closedException();
        }
    }

    @Override
    public void free(MemorySegment segment) {
        if (segment == null) {
            throw new IllegalArgumentException("free: segment is null");
        }
        checkOpen();
        if (!segment.isNative()) {
            throw new IllegalArgumentException("free: " + segment + " is a heap segment, not memory from this allocator");
        }
        free(segment.address());
    }

    @Override
    public AllocatorStats stats() {
        return stats.snapshot(policyId);
    }

    @Override
    public long residentBytes() {
        checkOpen();
        return os.residentBytes();
    }

    @Override
    public String policy() {
        return policyId;
    }

    /**
     * Releases everything releasable now: first the housekeeping of a tick (heaps of ended threads, remote frees
     * queued on pooled heaps), then {@link PolicyDriver#trim}. See {@link Allocator#trim()}.
     */
    @Override
    public long trim() {
        checkOpen();
        try {
            maintain();
            return driver.trim("call").total();
        } catch (OsLayer.ClosedException e) {
            throw closedException();
        }
    }

    /** The allocator's id in this JVM (1, 2, ... in order of opening): its MBean's {@code id} and its JFR events'. */
    public long id() {
        return source.id();
    }

    /** The soft limit in bytes, 0 if none. */
    public long softLimitBytes() {
        return softLimit.limitBytes();
    }

    /** The footprint now, for the observers (JFR, the MBean); still answers after close (all zero). */
    public Figures figures() {
        List<Figures.ClassFigures> classes = new ArrayList<>();
        long inUse = 0;
        for (ClassPool p : pools) {
            Figures.ClassFigures f = p.figures();
            inUse += f.inUseBytes();
            if (f.superSlabs() > 0) {
                classes.add(f);
            }
        }
        return new Figures(stats.get(Stat.MAPPED_BYTES), driver.committedBytes(), inUse + large.liveBytes(),
                stats.get(Stat.METADATA_BYTES), large.cachedBytes(), stats.get(Stat.SUPERSLABS), stats.get(Stat.HEAPS),
                classes);
    }

    /**
     * Runs {@code action} at {@link #close()}, after the ticker stopped and before anything is unmapped (observers
     * unregister there). An action that throws is logged and the others still run.
     */
    public void onClose(Runnable action) {
        closeActions.add(java.util.Objects.requireNonNull(action, "action"));
    }

    @Override
    public List<OptionValue> options() {
        return optionRows;
    }

    /**
     * Closes the allocator. Racing other calls is a programming error, but whatever races it, the allocator's own
     * code neither faults nor unmaps a range twice nor leaves a mapping behind: the OS layer stops keeping new
     * mappings, then the scope of every segment (and of our own block accesses) closes, then everything is unmapped.
     */
    @Override
    public void close() {
        synchronized (heapLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        driver.stop();
        for (Runnable action : closeActions) {
            try {
                action.run();
            } catch (RuntimeException e) {
                System.getLogger("hakmem").log(System.Logger.Level.WARNING, "hakmem: a close action failed; ignored", e);
            }
        }
        releaseAll();
        if (exitHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(exitHook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting: the hook sees closed and stays quiet
            }
        }
        if (osStats) {
            sink.report(stats.snapshot(policyId), "close");
        }
    }

    /** Unmaps everything; {@link #closed} is already set. */
    private void releaseAll() {
        os.close();
        closeScope();
        synchronized (heapLock) {
            for (Heap h : bound) {
                h.reset();
            }
            for (Heap h : pooledHeaps) {
                h.reset();
            }
            stats.add(Stat.HEAPS, -(bound.size() + pooledHeaps.length));
            bound.clear();
            pooledHeaps = new Heap[0];
            setPrimaryLocked(null, UNBOUND);
        }
        for (ClassPool p : pools) {
            p.unmapAll();
        }
        large.close();
        os.unmapAll(); // nothing should be left; if something is, it goes too
        stats.add(Stat.SLABS_IN_USE, -stats.get(Stat.SLABS_IN_USE));
        stats.add(Stat.METADATA_BYTES, -stats.get(Stat.METADATA_BYTES)); // page-map leaves stay, but are no longer ours
    }

    /** Closes the scope; a shared arena may refuse while another thread's access is being torn down: retry. */
    private void closeScope() {
        for (int attempt = 0; scope.scope().isAlive(); attempt++) {
            try {
                scope.close();
            } catch (IllegalStateException busy) {
                if (!scope.scope().isAlive()) {
                    return;
                }
                if (attempt > 1_000_000) {
                    throw busy;
                }
                Thread.onSpinWait();
            }
        }
    }

    private void checkOpen() {
        if (closed) {
            throw closedException();
        }
    }

    private IllegalStateException closedException() {
        return new IllegalStateException("hakmem allocator (policy " + policyId + ") is closed");
    }

    /**
     * The invariant audit (see {@link Audit}): every broken invariant of this allocator's structures, empty when all
     * hold. Valid only while no other thread is inside the allocator; it holds the ticker off by itself
     * ({@link #holdingTicker}). For tests.
     */
    public List<String> audit() {
        return holdingTicker(() -> {
            List<Heap> heaps;
            synchronized (heapLock) {
                heaps = new ArrayList<>(bound);
                heaps.addAll(List.of(pooledHeaps));
            }
            return Audit.run(heaps, pools, large, stats, os);
        });
    }

    /**
     * Runs {@code body} while the ticker is held off: a tick in progress finishes first, the next one waits. The
     * ticker is the allocator's own thread, so a test cannot otherwise keep it out of the allocator while it looks at
     * the state between steps (the audit, stats against the OS box). For tests; the ticker only pauses.
     */
    public <T> T holdingTicker(java.util.function.Supplier<T> body) {
        return driver.holdingTicker(body);
    }

    @Override
    public String toString() {
        return "HakmemAllocator[policy=" + policyId + (closed ? ", closed" : "") + "]";
    }
}
