package hakmem.core.alloc;

import hakmem.api.Allocator;
import hakmem.api.AllocatorStats;
import hakmem.api.OptionValue;
import hakmem.api.spi.Advice;
import hakmem.api.spi.EmptySlab;
import hakmem.api.spi.ReleaseHandle;
import hakmem.api.spi.ReleasePolicy;
import hakmem.api.spi.SizeClass;
import hakmem.api.spi.StatsSink;
import hakmem.core.os.OsLayer;
import hakmem.core.stats.Stat;
import hakmem.core.stats.Stats;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The SuperSlab allocator.
 *
 * <h2>Hot path</h2>
 * {@link #malloc} of up to 1 KiB and {@link #free} by the thread that owns the block's slab: one thread-to-heap
 * lookup (a primary-thread cache, else a {@link ThreadLocal}), then a few loads and stores on the heap-side slab
 * bookkeeping. No lock, no atomic, no allocation, no policy call. Everything else is a slow path.
 *
 * <h2>Concurrency</h2>
 * See {@link Heap} (who may use a heap) and {@link Slab} (the remote-free protocol). Class pools, the page map and the
 * heap registry are lock-protected slow paths. Release policies are called without any allocator lock held.
 */
public final class HakmemAllocator implements Allocator {

    /** All of memory, for touching, zeroing and copying blocks. Bounds are the allocator's own invariants. */
    static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    static final Slab NO_SLAB = Slab.sentinel();
    private static final Heap UNBOUND = new Heap(null);
    private static final System.Logger LOG = System.getLogger("hakmem");
    private static final long LARGE_ALIGN = SizeClasses.SLAB_BYTES;
    private static final long MAX_ALIGNMENT = 1L << 20;

    private final String policyId;
    private final ReleasePolicy policy;
    private final OsLayer os;
    private final Stats stats;
    private final StatsSink sink;
    private final boolean osStats;
    private final List<OptionValue> optionRows;
    private final ClassPool[] pools;
    private final List<SizeClass> classes;
    private final Handle handle = new Handle();
    private final ThreadLocal<Heap> boundHeap = ThreadLocal.withInitial(() -> UNBOUND);
    /*
     * The primary thread: the first thread to bind a heap while no live thread holds this role. Its lookup skips the
     * ThreadLocal. The three fields are written together under heapLock, and only when the previous primary thread
     * ended, so a thread that reads its own Thread in primaryThread reads its own heap in the other two.
     */
    private Thread primaryThread;
    private Heap primaryHeap = UNBOUND;
    private Slab[] primaryCurrent = UNBOUND.current;
    private final Object heapLock = new Object();
    private final List<Heap> bound = new ArrayList<>();
    private volatile Heap[] pooledHeaps = new Heap[0];
    private final int maxPooled;
    private volatile boolean closed;
    /** The addresses of the last 64 large blocks freed: a second free of one is a double free, not a foreign address. */
    private final long[] unmappedRing = new long[64];
    private int unmappedNext;
    private final java.util.concurrent.atomic.AtomicBoolean raceLogged = new java.util.concurrent.atomic.AtomicBoolean();
    private final Thread ticker;
    private final Thread exitHook;

    /** The longest tick interval a policy may ask for: one day. */
    static final long MAX_TICK_MILLIS = 86_400_000L;

    public HakmemAllocator(String policyId, ReleasePolicy policy, OsLayer os, Stats stats, StatsSink sink,
                           boolean osStats, List<OptionValue> optionRows) {
        this.policyId = policyId;
        this.policy = policy;
        this.os = os;
        this.stats = stats;
        this.sink = sink;
        this.osStats = osStats;
        this.optionRows = List.copyOf(optionRows);
        this.classes = SizeClasses.describe();
        this.pools = new ClassPool[SizeClasses.COUNT];
        for (int c = 0; c < pools.length; c++) {
            pools[c] = new ClassPool(this, classes.get(c), os, stats);
        }
        this.maxPooled = Math.max(2, Runtime.getRuntime().availableProcessors());
        try {
            for (SizeClass sc : classes) {
                int n = policy.prewarmSuperSlabs(sc);
                if (n < 0 || n > 1024) {
                    throw new IllegalArgumentException("policy " + policyId + " asked to prewarm " + n + " superslabs of "
                            + sc.name() + " (0..1024 allowed)");
                }
                pools[sc.index()].prewarm(n);
            }
            policy.onOpen(handle);
        } catch (RuntimeException | Error e) {
            releaseAll();
            throw e;
        }
        long tick = policy.tickIntervalMillis();
        if (tick < 0 || tick > MAX_TICK_MILLIS) {
            releaseAll();
            throw new IllegalArgumentException("policy " + policyId + " returned a tick interval of " + tick
                    + " ms (0.." + MAX_TICK_MILLIS + " allowed: 0 runs no ticker, at most one day)");
        }
        this.ticker = tick > 0 ? Thread.ofPlatform().daemon().name("hakmem-ticker-" + policyId).unstarted(() -> tickLoop(tick)) : null;
        if (ticker != null) {
            ticker.start();
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
        return primaryThread == t ? primaryHeap : boundHeap.get();
    }

    @Override
    public long malloc(long size) {
        if ((size - 1) >>> 10 == 0) { // 1 <= size <= 1024
            Thread t = Thread.currentThread();
            Slab[] current = primaryThread == t ? primaryCurrent : boundHeap.get().current;
            Slab s = current[61 - Long.numberOfLeadingZeros((size - 1) | 15)];
            int i = s.freeHead;
            if (i >= 0) {
                int[] meta = s.meta;
                s.freeHead = meta[i] - 1;
                meta[i] = Slab.LIVE;
                s.used++;
                return s.start + i * s.blockSize;
            }
        }
        return mallocSlow(size);
    }

    @Override
    public void free(long address) {
        Slab s = PageMap.get(address);
        if (s != null) {
            Thread t = Thread.currentThread();
            Heap h = primaryThread == t ? primaryHeap : boundHeap.get();
            if (s.owner == h) { // never true for pooled or large slabs (owner NONE) or unbound threads (UNBOUND)
                long off = address - s.start;
                int i = (int) ((off * s.magic) >>> 32);
                int[] meta = s.meta;
                if (i * s.blockSize == off && meta[i] == Slab.LIVE) {
                    int head = s.freeHead;
                    meta[i] = head + 1;
                    s.freeHead = i;
                    if (--s.used == 0 | head < 0) {
                        h.afterFree(s);
                    }
                    return;
                }
            }
        }
        freeSlow(address, s);
    }

    // ------------------------------------------------------------------ slow paths

    private long mallocSlow(long size) {
        checkOpen();
        if (size < 0 || size > MAX_SIZE) {
            throw new IllegalArgumentException("malloc: size " + size + " is negative or above the maximum " + MAX_SIZE);
        }
        long n = Math.max(size, 1);
        if (n > SizeClasses.MAX_SMALL) {
            return mallocLarge(n, LARGE_ALIGN);
        }
        return allocSmall(SizeClasses.mallocClass(n), size);
    }

    /** Allocates from class {@code c}; an OS refusal names the {@code request} that caused it. */
    private long allocSmall(int c, long request) {
        try {
            return allocSmall(c);
        } catch (OutOfMemoryError e) {
            throw new OutOfMemoryError("hakmem: cannot allocate " + request + " bytes: " + e.getMessage());
        }
    }

    private long allocSmall(int c) {
        Thread t = Thread.currentThread();
        Heap h = heapOf(t);
        if (h != UNBOUND) {
            return h.alloc(c);
        }
        if (!t.isVirtual()) {
            return bind(t).alloc(c);
        }
        while (true) {
            Heap p = pickPooled(t);
            p.lock.lock();
            try {
                if (p.pooled) {
                    checkOpen();
                    return p.alloc(c);
                }
            } finally {
                p.lock.unlock();
            }
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
            Heap h = new Heap(this);
            h.pooled = true;
            addPooledLocked(h);
            stats.increment(Stat.HEAPS);
            return h;
        }
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
        synchronized (heapLock) {
            checkOpen();
            reclaimEndedLocked();
            Heap h = null;
            Heap[] heaps = pooledHeaps;
            for (Heap p : heaps) {
                if (p.lock.tryLock()) {
                    h = p;
                    break;
                }
            }
            if (h != null) {
                removePooledLocked(h);
                h.pooled = false;
                h.thread = t;
                h.collectRemote();
                h.lock.unlock();
                stats.increment(Stat.HEAPS_ADOPTED);
            } else {
                h = new Heap(this);
                h.thread = t;
                stats.increment(Stat.HEAPS);
            }
            bound.add(h);
            boundHeap.set(h);
            Thread prev = primaryThread;
            if (prev == null || !prev.isAlive()) {
                setPrimaryLocked(t, h);
            }
            return h;
        }
    }

    private void setPrimaryLocked(Thread t, Heap h) {
        primaryThread = null; // never pair a thread with another thread's heap, even transiently
        primaryHeap = h;
        primaryCurrent = h.current;
        primaryThread = t;
    }

    /** Turns the heaps of ended platform threads into pooled heaps. */
    private void reclaimEndedLocked() {
        for (int k = bound.size() - 1; k >= 0; k--) {
            Heap h = bound.get(k);
            if (!h.thread.isAlive()) { // the thread's last action happens-before this
                bound.remove(k);
                h.thread = null;
                h.pooled = true;
                addPooledLocked(h);
                if (primaryHeap == h) {
                    setPrimaryLocked(null, UNBOUND);
                }
            }
        }
    }

    /** Periodic and on-demand housekeeping: reclaim ended threads' heaps, collect pooled heaps' remote frees. */
    void maintain() {
        synchronized (heapLock) {
            if (closed) {
                return;
            }
            reclaimEndedLocked();
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
        if (address == 0) {
            return;
        }
        if (s == null) {
            if (recentlyUnmapped(address)) {
                stats.increment(Stat.DOUBLE_FREES);
                throw new IllegalStateException("free: block 0x" + Long.toHexString(address) + " is already free (double free "
                        + "of a block above " + SizeClasses.MAX_SMALL + " bytes, whose mapping is gone)");
            }
            stats.increment(Stat.INVALID_FREES);
            throw new IllegalArgumentException("free: 0x" + Long.toHexString(address) + " was not allocated by this allocator");
        }
        if (s.large) {
            if (s.allocator != this) {
                stats.increment(Stat.INVALID_FREES);
                throw new IllegalArgumentException("free: 0x" + Long.toHexString(address) + " was allocated by another allocator");
            }
            freeLarge(s, address);
            return;
        }
        int i = s.indexOf(address - s.start);
        if (i < 0) {
            stats.increment(Stat.INVALID_FREES);
            throw new IllegalArgumentException("free: 0x" + Long.toHexString(address) + " is not the start of a block (interior "
                    + "pointer into a " + s.blockSize + "-byte block)");
        }
        if (s.allocator != this) {
            stats.increment(Stat.INVALID_FREES);
            throw new IllegalArgumentException("free: 0x" + Long.toHexString(address) + " was allocated by another allocator");
        }
        Heap h = heapOf(Thread.currentThread());
        if (s.owner == h) {
            // our own slab but the block is not LIVE
            throw doubleFree(address, s.meta[i]);
        }
        if (!s.casMeta(i, Slab.LIVE, Slab.REMOTE)) {
            throw doubleFree(address, s.metaVolatile(i));
        }
        // the block is ours to push now; its slab cannot change owner while it holds a LIVE or REMOTE block
        Heap owner = s.owner;
        int pushed = s.pushRemote(i);
        if (pushed == Slab.PUSHED_FIRST) {
            owner.enqueue(s);
        } else if (pushed == Slab.CARRIED) {
            racedDoubleFrees(1); // the stale node of that earlier race now carries this (valid) free
        }
        stats.increment(Stat.REMOTE_FREES);
    }

    private RuntimeException doubleFree(long address, int meta) {
        if (meta != Slab.LIVE) { // free, or freed by another thread and not yet collected
            stats.increment(Stat.DOUBLE_FREES);
            return new IllegalStateException("free: block 0x" + Long.toHexString(address) + " is already free (double free)");
        }
        stats.increment(Stat.INVALID_FREES);
        return new IllegalArgumentException("free: 0x" + Long.toHexString(address) + " is not a live block");
    }

    private long mallocLarge(long size, long alignment) {
        long length = (size + os.pageSize() - 1) & -os.pageSize();
        long address = os.map(length, Math.max(alignment, LARGE_ALIGN), "a block of " + size + " bytes");
        if (!PageMap.indexable(address, length)) {
            os.unmap(address, length);
            throw new OutOfMemoryError("hakmem: the OS returned an address above 2^48 for a block of " + size + " bytes");
        }
        Slab s = new Slab(this, address, length);
        PageMap.set(address, length, s);
        stats.increment(Stat.LARGE_MAPPINGS);
        if (closed) { // close raced with us: give it back
            PageMap.set(address, length, null);
            os.unmap(address, length);
            stats.add(Stat.LARGE_MAPPINGS, -1);
            throw closedException();
        }
        return address;
    }

    private void freeLarge(Slab s, long address) {
        if (address != s.start) {
            stats.increment(Stat.INVALID_FREES);
            throw new IllegalArgumentException("free: 0x" + Long.toHexString(address) + " is not the start of a block (interior "
                    + "pointer into a " + s.length + "-byte mapping)");
        }
        if (!s.casMeta(0, Slab.LIVE, 0)) {
            stats.increment(Stat.DOUBLE_FREES);
            throw new IllegalStateException("free: block 0x" + Long.toHexString(address) + " is already free (double free)");
        }
        PageMap.set(s.start, s.length, null);
        os.unmap(s.start, s.length);
        stats.add(Stat.LARGE_MAPPINGS, -1);
        synchronized (unmappedRing) {
            unmappedRing[unmappedNext++ & (unmappedRing.length - 1)] = address;
        }
    }

    /** True if {@code address} is one of the last large blocks freed (their mappings are gone from the page map). */
    private boolean recentlyUnmapped(long address) {
        synchronized (unmappedRing) {
            for (long a : unmappedRing) {
                if (a == address) {
                    return true;
                }
            }
            return false;
        }
    }

    /** A slab became empty on its owner's free: back to its pool, then the policy decides (no lock held). */
    void releaseEmpty(Slab s) {
        long now = System.nanoTime();
        boolean superEmpty = pools[s.sizeClass].release(s, now);
        try {
            policy.onSlabEmpty(new EmptySlab(classes.get(s.sizeClass), s.start, s.length, now, true), superEmpty, handle);
        } catch (RuntimeException e) {
            policyFailed("onSlabEmpty", e);
        }
    }

    private void policyFailed(String what, RuntimeException e) {
        stats.increment(Stat.POLICY_ERRORS);
        LOG.log(System.Logger.Level.WARNING, "hakmem: policy " + policyId + " threw from " + what + "; ignored", e);
    }

    /** The owner found remote-freed blocks its own free had already taken back: a racing double free. */
    void racedDoubleFrees(int n) {
        stats.add(Stat.DOUBLE_FREES, n);
        if (raceLogged.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, "hakmem: " + n + " block(s) were freed twice at the same time by two threads "
                + "(the owner's free won; the other free was dropped); further ones are only counted in double_frees");
        }
    }

    ClassPool pool(int c) {
        return pools[c];
    }

    private void tickLoop(long millis) {
        long period = millis * 1_000_000L;
        while (!closed) {
            LockSupport.parkNanos(this, period);
            if (closed || Thread.interrupted()) {
                return;
            }
            try {
                maintain();
                policy.onTick(handle);
            } catch (RuntimeException e) {
                policyFailed("onTick", e);
            }
        }
    }

    // ------------------------------------------------------------------ the rest of the API

    @Override
    public long calloc(long count, long size) {
        if (count < 0 || size < 0) {
            checkOpen();
            throw new IllegalArgumentException("calloc: count " + count + " and size " + size + " must not be negative");
        }
        long total;
        try {
            total = Math.multiplyExact(count, size);
        } catch (ArithmeticException e) {
            checkOpen();
            throw new IllegalArgumentException("calloc: count " + count + " * size " + size + " overflows");
        }
        long a = malloc(total);
        if (total > 0) {
            ALL.asSlice(a, total).fill((byte) 0);
        }
        return a;
    }

    @Override
    public long realloc(long address, long size) {
        if (address == 0) {
            return malloc(size);
        }
        checkOpen();
        if (size < 0 || size > MAX_SIZE) {
            throw new IllegalArgumentException("realloc: size " + size + " is negative or above the maximum " + MAX_SIZE);
        }
        long usable = usableSize(address);
        long n = Math.max(size, 1);
        boolean fits = n <= usable && (usable <= SizeClasses.MAX_SMALL
                ? SizeClasses.mallocClass(n) == PageMap.get(address).sizeClass
                : n > SizeClasses.MAX_SMALL && n > usable / 2);
        if (fits) {
            return address;
        }
        long b = malloc(n);
        MemorySegment.copy(ALL, address, ALL, b, Math.min(usable, n));
        free(address);
        return b;
    }

    @Override
    public long usableSize(long address) {
        checkOpen();
        Slab s = PageMap.get(address);
        if (s == null && recentlyUnmapped(address)) {
            throw new IllegalStateException("usableSize: block 0x" + Long.toHexString(address) + " is free");
        }
        if (s == null || s.allocator != this) {
            stats.increment(Stat.INVALID_FREES);
            throw new IllegalArgumentException("usableSize: 0x" + Long.toHexString(address) + " was not allocated by this allocator");
        }
        if (s.large) {
            if (address != s.start || s.metaVolatile(0) != Slab.LIVE) {
                throw notLive("usableSize", address, s);
            }
            return s.length;
        }
        int i = s.indexOf(address - s.start);
        if (i < 0 || s.metaVolatile(i) != Slab.LIVE) {
            throw notLive("usableSize", address, s);
        }
        return s.blockSize;
    }

    private RuntimeException notLive(String op, long address, Slab s) {
        long off = address - s.start;
        if (s.large ? off != 0 : s.indexOf(off) < 0) {
            stats.increment(Stat.INVALID_FREES);
            return new IllegalArgumentException(op + ": 0x" + Long.toHexString(address) + " is not the start of a block");
        }
        return new IllegalStateException(op + ": block 0x" + Long.toHexString(address) + " is free");
    }

    @Override
    public MemorySegment allocate(long byteSize, long byteAlignment) {
        checkOpen();
        if (byteSize < 0 || byteSize > MAX_SIZE) {
            throw new IllegalArgumentException("allocate: size " + byteSize + " is negative or above the maximum " + MAX_SIZE);
        }
        if (byteAlignment <= 0 || Long.bitCount(byteAlignment) != 1 || byteAlignment > MAX_ALIGNMENT) {
            throw new IllegalArgumentException("allocate: alignment " + byteAlignment + " must be a power of two <= "
                    + MAX_ALIGNMENT);
        }
        long n = Math.max(byteSize, 1);
        long a;
        if (n <= 8 && byteAlignment <= 8) {
            a = allocSmall(0, byteSize); // C0 serves what needs no 16-byte alignment
        } else if (byteAlignment <= 16) {
            a = malloc(n);
        } else {
            int c = SizeClasses.alignedClass(n, byteAlignment);
            a = c >= 0 ? allocSmall(c, byteSize) : mallocLarge(Math.max(n, byteAlignment), byteAlignment);
        }
        return MemorySegment.ofAddress(a).reinterpret(byteSize);
    }

    @Override
    public void free(MemorySegment segment) {
        if (segment == null) {
            throw new IllegalArgumentException("free: segment is null");
        }
        if (!segment.isNative()) {
            checkOpen();
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

    @Override
    public List<OptionValue> options() {
        return optionRows;
    }

    @Override
    public void close() {
        synchronized (heapLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (ticker != null) {
            ticker.interrupt();
            LockSupport.unpark(ticker);
            try {
                ticker.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
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

    private void releaseAll() {
        closed = true;
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
        os.forEachMapping(PageMap::forget); // what is left are large mappings
        os.unmapAll();
        stats.add(Stat.LARGE_MAPPINGS, -stats.get(Stat.LARGE_MAPPINGS));
        stats.add(Stat.SLABS_IN_USE, -stats.get(Stat.SLABS_IN_USE));
    }

    private void checkOpen() {
        if (closed) {
            throw closedException();
        }
    }

    private IllegalStateException closedException() {
        return new IllegalStateException("hakmem allocator (policy " + policyId + ") is closed");
    }

    @Override
    public String toString() {
        return "HakmemAllocator[policy=" + policyId + (closed ? ", closed" : "") + "]";
    }

    // ------------------------------------------------------------------ the policy's handle

    private final class Handle implements ReleaseHandle {

        private ClassPool poolOf(SizeClass c) {
            if (c == null || c.index() < 0 || c.index() >= pools.length || !classes.get(c.index()).equals(c)) {
                throw new IllegalArgumentException("not a size class of this allocator: " + c);
            }
            return pools[c.index()];
        }

        @Override
        public List<SizeClass> sizeClasses() {
            return classes;
        }

        @Override
        public long emptyCommittedBytes(SizeClass sizeClass) {
            return poolOf(sizeClass).emptyCommittedBytes();
        }

        @Override
        public long committedBytes(SizeClass sizeClass) {
            return poolOf(sizeClass).committedBytes();
        }

        @Override
        public List<EmptySlab> emptySlabs(SizeClass sizeClass) {
            return poolOf(sizeClass).emptySlabs();
        }

        @Override
        public long decommitEmpty(SizeClass sizeClass, long keepBytes, long minIdleNanos, Advice advice) {
            ClassPool p = poolOf(sizeClass);
            if (closed) {
                return 0;
            }
            return p.decommitEmpty(Math.max(0, keepBytes), minIdleNanos, advice, System.nanoTime());
        }

        @Override
        public boolean decommit(EmptySlab slab, Advice advice) {
            ClassPool p = poolOf(slab.sizeClass());
            Slab s = PageMap.get(slab.address());
            if (closed || s == null || s.allocator != HakmemAllocator.this || s.large || s.start != slab.address() || s.sizeClass != slab.sizeClass().index()) {
                return false;
            }
            return p.decommit(s, advice);
        }

        @Override
        public int retireEmptySuperSlabs(SizeClass sizeClass, int keep, long minIdleNanos) {
            ClassPool p = poolOf(sizeClass);
            if (closed) {
                return 0;
            }
            return p.retireEmpty(keep, minIdleNanos, System.nanoTime());
        }

        @Override
        public boolean decommitEnabled() {
            return os.decommitEnabled();
        }

        @Override
        public void count(String counter, long delta) {
            stats.addExtra(counter, delta);
        }

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }
    }
}
