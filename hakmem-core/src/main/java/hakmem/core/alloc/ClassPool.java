package hakmem.core.alloc;

import hakmem.api.spi.Advice;
import hakmem.api.spi.EmptySlab;
import hakmem.api.spi.SizeClass;
import hakmem.core.jfr.DecommitEvent;
import hakmem.core.jfr.EventSource;
import hakmem.core.jfr.PrewarmEvent;
import hakmem.core.jfr.UnmapEvent;
import hakmem.core.os.OsLayer;
import hakmem.core.stats.Stat;
import hakmem.core.stats.Stats;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The superslabs of one size class and its slabs that hold no block. Shared by all heaps; every method takes this
 * pool's lock (slow path only: a heap comes here once per slab, not per block).
 *
 * <p>Empty slabs are either committed (they held data since they were last decommitted: reusing them is free) or
 * clean (never touched, or decommitted). Refill prefers the most recently emptied committed slab (its pages are
 * hot), then the clean slab with the lowest address, so that superslabs fill in order and late ones can empty.
 */
final class ClassPool {

    private final SizeClass info;
    private final int sizeClass;
    private final OsLayer os;
    private final Stats stats;
    private /** The allocator the slab belongs to: an identity, compared, never called. */
    final Object allocator;
    /** The allocator's memory scope: prewarm touches pages through it, so a racing close cannot fault us. */
    private final Arena scope;
    /** Names the allocator in the JFR events of this pool's OS-touching decisions. */
    private final EventSource source;
    private final ArrayDeque<Slab> committedEmpty = new ArrayDeque<>();
    private final PriorityQueue<Slab> clean = new PriorityQueue<>(Comparator.comparingLong((Slab s) -> s.start));
    private final List<SuperSlab> superSlabs = new ArrayList<>();
    private long committedSlabs;

    ClassPool(Object allocator, SizeClass info, OsLayer os, Stats stats, Arena scope, EventSource source) {
        this.allocator = allocator;
        this.source = source;
        this.scope = scope;
        this.info = info;
        this.sizeClass = info.index();
        this.os = os;
        this.stats = stats;
    }

    SizeClass info() {
        return info;
    }

    /**
     * Hands an empty slab to {@code heap}, mapping a new superslab if none is left. If the mapping fails the pool is
     * as it was and the exception propagates.
     */
    synchronized Slab acquire(Heap heap) {
        Slab s = committedEmpty.pollLast();
        if (s == null) {
            if (clean.isEmpty()) {
                mapSuperSlab();
            }
            s = clean.poll();
            s.committed = true;
            committedSlabs++;
        }
        s.inPool = false;
        s.superSlab.inPool--;
        s.listed = true;
        s.owner = heap;
        s.ownerThread = heap.thread;
        stats.increment(Stat.SLABS_IN_USE);
        stats.increment(Stat.SLABS_CARVED);
        return s;
    }

    /**
     * Takes back a slab that holds no block.
     *
     * @return true if its whole superslab is now empty
     */
    synchronized boolean release(Slab s, long now) {
        assert s.used == 0 && !s.inPool;
        s.owner = Heap.NONE;
        s.ownerThread = null;
        s.listed = false;
        s.inPool = true;
        s.emptySince = now;
        committedEmpty.addLast(s);
        stats.add(Stat.SLABS_IN_USE, -1);
        SuperSlab ss = s.superSlab;
        ss.inPool++;
        if (ss.empty()) {
            ss.emptySince = now;
            return true;
        }
        return false;
    }

    /** Maps a superslab and adds its slabs to the clean ones; on any failure nothing stays mapped or indexed. */
    private SuperSlab mapSuperSlab() {
        long base = os.map(SizeClasses.SUPERSLAB_BYTES, SizeClasses.SUPERSLAB_BYTES, "a " + info.name() + " superslab");
        SuperSlab ss;
        int leaves = 0;
        try {
            if (!PageMap.indexable(base, SizeClasses.SUPERSLAB_BYTES)) {
                throw new OutOfMemoryError("hakmem: the OS returned an address above 2^48 (0x" + Long.toHexString(base) + ")");
            }
            ss = new SuperSlab(allocator, base, sizeClass);
            for (Slab s : ss.slabs) {
                leaves += PageMap.set(s.start, s.length, s);
            }
        } catch (RuntimeException | Error e) { // e.g. a Java-heap OutOfMemoryError while building the bookkeeping
            stats.add(Stat.METADATA_BYTES, leaves * MetadataSize.PAGE_MAP_LEAF); // leaves stay
            PageMap.forget(base, SizeClasses.SUPERSLAB_BYTES);
            os.tryUnmap(base, SizeClasses.SUPERSLAB_BYTES);
            throw e;
        }
        for (Slab s : ss.slabs) {
            s.inPool = true;
            clean.add(s);
        }
        ss.inPool = ss.slabs.length;
        superSlabs.add(ss);
        stats.increment(Stat.SUPERSLABS);
        stats.add(Stat.METADATA_BYTES, MetadataSize.superSlab(sizeClass) + leaves * MetadataSize.PAGE_MAP_LEAF);
        return ss;
    }

    /** Maps {@code n} superslabs and touches every page so they are resident (prewarm); {@code now}: the clock box's time. */
    synchronized void prewarm(int n, long now) {
        if (n == 0) {
            return;
        }
        PrewarmEvent event = new PrewarmEvent();
        event.begin();
        long page = os.pageSize();
        for (int k = 0; k < n; k++) {
            SuperSlab ss = mapSuperSlab();
            MemorySegment mem = MemorySegment.ofAddress(ss.base).reinterpret(SizeClasses.SUPERSLAB_BYTES, scope, null);
            for (long off = 0; off < SizeClasses.SUPERSLAB_BYTES; off += page) {
                mem.set(ValueLayout.JAVA_BYTE, off, (byte) 0); // resident, and still zero
            }
            for (Slab s : ss.slabs) {
                clean.remove(s);
                s.committed = true;
                s.emptySince = now;
                committedEmpty.addLast(s);
                committedSlabs++;
            }
            stats.increment(Stat.SUPERSLABS_PREWARMED);
        }
        if (event.shouldCommit()) {
            source.stamp(event);
            event.sizeClass = info.name();
            event.superSlabs = n;
            event.bytes = n * SizeClasses.SUPERSLAB_BYTES;
            event.commit();
        }
    }

    synchronized long emptyCommittedBytes() {
        return committedEmpty.size() * info.slabBytes();
    }

    synchronized long committedBytes() {
        return committedSlabs * info.slabBytes();
    }

    synchronized List<EmptySlab> emptySlabs() {
        List<EmptySlab> out = new ArrayList<>(committedEmpty.size() + clean.size());
        for (Slab s : committedEmpty) {
            out.add(new EmptySlab(info, s.start, s.length, s.emptySince, true));
        }
        List<Slab> cleanSorted = new ArrayList<>(clean);
        cleanSorted.sort(Comparator.comparingLong((Slab s) -> s.emptySince));
        for (Slab s : cleanSorted) {
            out.add(new EmptySlab(info, s.start, s.length, s.emptySince, false));
        }
        out.sort(Comparator.comparingLong(EmptySlab::emptySinceNanos));
        return out;
    }

    /**
     * Decommits the longest-empty committed slabs idle at least {@code minIdle} until {@code keepBytes} remain.
     * Neighbouring slabs of one superslab are advised in one call.
     */
    synchronized long decommitEmpty(long keepBytes, long minIdleNanos, Advice advice, long now) {
        long excess = committedEmpty.size() * info.slabBytes() - keepBytes;
        List<Slab> chosen = new ArrayList<>();
        for (Slab s : committedEmpty) {
            if (excess <= 0 || now - s.emptySince < minIdleNanos) {
                break;
            }
            chosen.add(s);
            excess -= s.length;
        }
        if (chosen.isEmpty()) {
            return 0;
        }
        DecommitEvent event = new DecommitEvent();
        event.begin();
        chosen.sort(Comparator.comparingLong((Slab s) -> s.start));
        long done = 0;
        int i = 0;
        while (i < chosen.size()) {
            int j = i + 1;
            while (j < chosen.size() && chosen.get(j).superSlab == chosen.get(i).superSlab
                    && chosen.get(j).start == chosen.get(j - 1).start + info.slabBytes()) {
                j++;
            }
            List<Slab> run = chosen.subList(i, j);
            long length = run.size() * info.slabBytes();
            if (!os.decommit(run.getFirst().start, length, advice)) {
                break; // decommit disabled (or refused): leave the rest committed
            }
            for (Slab s : run) {
                markDecommitted(s, advice);
            }
            done += length;
            i = j;
        }
        commit(event, done, advice);
        return done;
    }

    private void commit(DecommitEvent event, long bytes, Advice advice) {
        if (bytes > 0 && event.shouldCommit()) {
            source.stamp(event);
            event.sizeClass = info.name();
            event.bytes = bytes;
            event.advice = advice.name();
            event.commit();
        }
    }

    /** Decommits one slab if it is still empty and committed. */
    synchronized boolean decommit(Slab s, Advice advice) {
        DecommitEvent event = new DecommitEvent();
        event.begin();
        if (!s.inPool || !s.committed || !os.decommit(s.start, s.length, advice)) {
            return false;
        }
        markDecommitted(s, advice);
        commit(event, s.length, advice);
        return true;
    }

    /**
     * Moves an advised slab from the committed empties to the clean ones, and counts it. After MADV_DONTNEED its
     * pages read as zero, so its blocks are marked so (calloc skips them); after MADV_FREE they may keep old data.
     */
    private void markDecommitted(Slab s, Advice advice) {
        committedEmpty.remove(s);
        s.committed = false;
        if (advice == Advice.DONTNEED) {
            s.resetZeroed();
        }
        clean.add(s);
        committedSlabs--;
        stats.increment(Stat.SLABS_DECOMMITTED);
        stats.add(Stat.BYTES_DECOMMITTED, s.length);
    }

    /** Unmaps empty superslabs idle at least {@code minIdle}, keeping the {@code keep} most recently emptied. */
    synchronized int retireEmpty(int keep, long minIdleNanos, long now) {
        List<SuperSlab> candidates = new ArrayList<>();
        int emptyTotal = 0;
        for (SuperSlab ss : superSlabs) {
            if (ss.empty()) {
                emptyTotal++;
                if (now - ss.emptySince >= minIdleNanos) {
                    candidates.add(ss);
                }
            }
        }
        // keep the most recently emptied ones: retire the oldest first
        candidates.sort(Comparator.comparingLong((SuperSlab ss) -> ss.emptySince));
        int retire = Math.min(candidates.size(), Math.max(0, emptyTotal - Math.max(0, keep)));
        if (retire == 0) {
            return 0;
        }
        UnmapEvent event = new UnmapEvent();
        event.begin();
        for (int i = 0; i < retire; i++) {
            retireLocked(candidates.get(i));
        }
        if (event.shouldCommit()) {
            source.stamp(event);
            event.sizeClass = info.name();
            event.mappings = retire;
            event.bytes = retire * SizeClasses.SUPERSLAB_BYTES;
            event.commit();
        }
        return retire;
    }

    private void retireLocked(SuperSlab ss) {
        for (Slab s : ss.slabs) {
            if (s.committed) {
                committedEmpty.remove(s);
                committedSlabs--;
            } else {
                clean.remove(s);
            }
            s.inPool = false;
        }
        PageMap.set(ss.base, SizeClasses.SUPERSLAB_BYTES, null);
        superSlabs.remove(ss);
        os.tryUnmap(ss.base, SizeClasses.SUPERSLAB_BYTES); // false only if close took the mapping first
        stats.add(Stat.SUPERSLABS, -1);
        stats.add(Stat.METADATA_BYTES, -MetadataSize.superSlab(sizeClass));
        stats.increment(Stat.SUPERSLABS_RETIRED);
    }

    /** Unmaps every superslab (close). */
    synchronized void unmapAll() {
        for (Iterator<SuperSlab> it = superSlabs.iterator(); it.hasNext(); ) {
            SuperSlab ss = it.next();
            it.remove();
            PageMap.set(ss.base, SizeClasses.SUPERSLAB_BYTES, null);
            os.tryUnmap(ss.base, SizeClasses.SUPERSLAB_BYTES);
            stats.add(Stat.SUPERSLABS, -1);
            stats.add(Stat.METADATA_BYTES, -MetadataSize.superSlab(sizeClass));
        }
        committedEmpty.clear();
        clean.clear();
        committedSlabs = 0;
    }

    /** This class's figures, read under the pool lock. */
    synchronized Figures.ClassFigures figures() {
        return new Figures.ClassFigures(info.name(), info.blockSize(), superSlabs.size(), committedSlabs * info.slabBytes(),
                committedEmpty.size() * info.slabBytes());
    }

    // ---- for the invariant audit (a consistent view under the pool lock) ----

    synchronized List<SuperSlab> superSlabsView() {
        return List.copyOf(superSlabs);
    }

    synchronized List<Slab> committedEmptyView() {
        return List.copyOf(committedEmpty);
    }

    synchronized List<Slab> cleanView() {
        return List.copyOf(clean);
    }

    synchronized long committedSlabCount() {
        return committedSlabs;
    }
}
