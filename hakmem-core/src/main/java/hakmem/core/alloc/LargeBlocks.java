package hakmem.core.alloc;

import hakmem.api.spi.Advice;
import hakmem.core.os.OsLayer;
import hakmem.core.stats.Stat;
import hakmem.core.stats.Stats;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The blocks above the largest size class: one dedicated mapping each, and a cache of the mappings of freed blocks.
 *
 * <p>Lengths: a request is rounded up to a page, then to one of four steps per doubling (a 2.9 MB request maps
 * 3 MiB), so a freed mapping fits later requests of its step, and at most a quarter is slack.
 *
 * <p>Cache: a freed block's mapping stays mapped and indexed (its page-map entry keeps pointing at its
 * {@link Slab}, whose entry is no longer {@code LIVE}, so a second free of it is a double free whatever happened
 * since) and is reused by the next request it fits (its length, or up to half again more), the shortest first and
 * within a length the most recently freed (its pages are the hottest).
 * While the cache holds more than {@code limit} bytes the longest-cached mappings are unmapped at once; below that
 * the release policy decides, through the handle: decommit what has been cached a while (reuse then costs page
 * faults, not an mmap), unmap it.
 *
 * <p>Concurrency: live blocks are a concurrent map, and a block leaves it exactly once (its free, or
 * {@link #close}), so a free racing close never unmaps a range twice and never leaves one behind; a block mapped or
 * reused while close runs is given back by that call itself. The cache has one lock, held across the madvise of a
 * decommit so that a mapping is never advised while it is being reused; munmaps happen outside it.
 */
final class LargeBlocks {

    /** Dedicated mappings are aligned to a page-map unit, so no unit is shared with another slab. */
    static final long ALIGN = SizeClasses.SLAB_BYTES;

    private final Object owner; // identity of the owning allocator
    private final OsLayer os;
    private final Stats stats;
    private final ConcurrentHashMap<Long, Slab> live = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong liveBytes = new java.util.concurrent.atomic.AtomicLong();

    // ---- the cache, guarded by itself ----
    private final TreeMap<Long, ArrayDeque<Slab>> cachedByLength = new TreeMap<>();
    /** Cached mappings, longest-cached first. */
    private final LinkedHashSet<Slab> cachedByAge = new LinkedHashSet<>();
    private long cachedBytes;
    private long cachedCommittedBytes;

    /**
     * The addresses of the last 64 large blocks whose mappings were unmapped: a free of one is reported as a double
     * free rather than a foreign address. Older ones cannot be told from addresses never allocated here.
     */
    private final long[] recentlyUnmapped = new long[64];
    private int next;
    private volatile boolean closed;

    LargeBlocks(Object owner, OsLayer os, Stats stats) {
        this.owner = owner;
        this.os = os;
        this.stats = stats;
    }

    /** Bytes of the mappings of live large blocks. */
    long liveBytes() {
        return liveBytes.get();
    }

    /** The mapping length for a request of {@code size} bytes: a page multiple, one of four steps per doubling. */
    long lengthFor(long size) {
        long page = os.pageSize();
        long p = (size + page - 1) & -page;
        long step = Math.max(page, Long.highestOneBit(p - 1) >>> 2);
        return (p + step - 1) & -step;
    }

    /**
     * A block of at least {@code size} bytes aligned to {@code alignment}, from the cache or a fresh mapping: its
     * address, plus 1 in the lowest bit when its bytes are known to be zero (fresh, or dropped with DONTNEED).
     *
     * @throws OutOfMemoryError if the OS refuses
     * @throws OsLayer.ClosedException if close has begun
     */
    long take(long size, long alignment) {
        long length = lengthFor(size);
        Slab s = reuse(length, alignment);
        boolean zero;
        if (s != null) {
            zero = s.zeroed;
            s.zeroed = false;
            s.setMetaVolatile(0, Slab.LIVE);
            stats.increment(Stat.LARGE_CACHE_HITS);
        } else {
            s = map(length, alignment, size);
            zero = true;
        }
        live.put(s.start, s);
        liveBytes.addAndGet(s.length);
        if (closed) { // close raced with us and may have missed this block: give it back ourselves
            release(s);
            throw new OsLayer.ClosedException();
        }
        return s.start | (zero ? 1 : 0);
    }

    private Slab map(long length, long alignment, long size) {
        long address = os.map(length, Math.max(alignment, ALIGN), "a block of " + size + " bytes");
        Slab s;
        try {
            if (!PageMap.indexable(address, length)) {
                throw new OutOfMemoryError("hakmem: the OS returned an address above 2^48 for a block of " + size + " bytes");
            }
            s = new Slab(owner, address, length);
            PageMap.set(address, length, s);
        } catch (RuntimeException | Error e) {
            PageMap.forget(address, length);
            os.tryUnmap(address, length);
            throw e;
        }
        stats.increment(Stat.LARGE_MAPPINGS);
        return s;
    }

    /**
     * Takes a cached mapping for a request of {@code length} bytes aligned to {@code alignment}, or null: the
     * shortest cached one of at least {@code length} and at most {@code length * 1.5} (so a block never holds more
     * than half again its size), most recently cached first within a length.
     */
    private synchronized Slab reuse(long length, long alignment) {
        long most = length + (length >>> 1);
        for (Map.Entry<Long, ArrayDeque<Slab>> e = cachedByLength.ceilingEntry(length); e != null && e.getKey() <= most;
                e = cachedByLength.higherEntry(e.getKey())) {
            ArrayDeque<Slab> bucket = e.getValue();
            for (Iterator<Slab> it = bucket.descendingIterator(); it.hasNext(); ) {
                Slab s = it.next();
                if ((s.start & (alignment - 1)) == 0) {
                    it.remove();
                    if (bucket.isEmpty()) {
                        cachedByLength.remove(e.getKey());
                    }
                    uncacheLocked(s);
                    return s;
                }
            }
        }
        return null;
    }

    private void uncacheLocked(Slab s) {
        cachedByAge.remove(s);
        cachedBytes -= s.length;
        stats.add(Stat.LARGE_CACHED_BYTES, -s.length);
        if (s.committed) {
            cachedCommittedBytes -= s.length;
        }
    }

    private void removeFromBucketLocked(Slab s) {
        ArrayDeque<Slab> bucket = cachedByLength.get(s.length);
        bucket.remove(s);
        if (bucket.isEmpty()) {
            cachedByLength.remove(s.length);
        }
    }

    /**
     * Frees the large block {@code s} at {@code address}, caching its mapping while the cache stays within
     * {@code limit} bytes; {@code op} names the user's call in messages.
     *
     * @return the mapping's length if it went to the cache, 0 if it was unmapped
     * @throws IllegalArgumentException for an interior pointer
     * @throws IllegalStateException for a double free, or if close took the block first
     */
    long free(Slab s, long address, String op, long limit) {
        if (address != s.start) {
            stats.increment(Stat.INVALID_FREES);
            throw new IllegalArgumentException(op + ": 0x" + Long.toHexString(address) + " is not the start of a block "
                    + "(interior pointer into a " + s.length + "-byte block)");
        }
        if (!s.casMeta(0, Slab.LIVE, 0)) {
            stats.increment(Stat.DOUBLE_FREES);
            throw new IllegalStateException(op + ": block 0x" + Long.toHexString(address) + " is already free (double free)");
        }
        if (!live.remove(s.start, s)) {
            throw new OsLayer.ClosedException(); // close took it first
        }
        liveBytes.addAndGet(-s.length);
        List<Slab> evicted = null; // rarely needed: no list per free
        boolean cached;
        synchronized (this) {
            cached = !closed && s.length <= limit;
            if (cached) {
                while (cachedBytes + s.length > limit) { // the longest-cached go first, so s fits
                    Slab old = cachedByAge.getFirst();
                    removeFromBucketLocked(old);
                    uncacheLocked(old);
                    if (evicted == null) {
                        evicted = new ArrayList<>();
                    }
                    evicted.add(old);
                }
                s.committed = true;
                s.cachedSince = System.nanoTime();
                cachedByLength.computeIfAbsent(s.length, k -> new ArrayDeque<>()).addLast(s);
                cachedByAge.add(s);
                cachedBytes += s.length;
                cachedCommittedBytes += s.length;
                stats.add(Stat.LARGE_CACHED_BYTES, s.length);
            }
        }
        if (!cached) {
            unmap(s);
        }
        if (evicted != null) {
            for (Slab old : evicted) {
                unmap(old);
            }
        }
        return cached ? s.length : 0;
    }

    /** Forgets and unmaps one mapping that is in neither the live set nor the cache any more. */
    private void unmap(Slab s) {
        synchronized (recentlyUnmapped) {
            recentlyUnmapped[next++ & (recentlyUnmapped.length - 1)] = s.start;
        }
        PageMap.forget(s.start, s.length);
        os.tryUnmap(s.start, s.length);
        stats.add(Stat.LARGE_MAPPINGS, -1);
    }

    /** Removes and unmaps one live block if it is still live; true if this call did it. */
    private boolean release(Slab s) {
        if (!live.remove(s.start, s)) {
            return false;
        }
        liveBytes.addAndGet(-s.length);
        unmap(s);
        return true;
    }

    /** True if {@code address} is one of the last large blocks unmapped (their mappings are gone from the page map). */
    boolean recentlyUnmapped(long address) {
        synchronized (recentlyUnmapped) {
            for (long a : recentlyUnmapped) {
                if (a == address) {
                    return true;
                }
            }
            return false;
        }
    }

    synchronized long cachedBytes() {
        return cachedBytes;
    }

    synchronized long cachedCommittedBytes() {
        return cachedCommittedBytes;
    }

    /** Decommits cached mappings cached at least {@code minIdleNanos}, oldest first, until {@code keepBytes} stay committed. */
    synchronized long decommitCached(long keepBytes, long minIdleNanos, Advice advice, long now) {
        long done = 0;
        for (Slab s : cachedByAge) {
            if (cachedCommittedBytes <= keepBytes || now - s.cachedSince < minIdleNanos) {
                break;
            }
            if (!s.committed) {
                continue;
            }
            if (!os.decommit(s.start, s.length, advice)) {
                break; // decommit disabled or refused
            }
            s.committed = false;
            s.zeroed = advice == Advice.DONTNEED;
            cachedCommittedBytes -= s.length;
            done += s.length;
            stats.increment(Stat.LARGE_DECOMMITS);
            stats.add(Stat.BYTES_DECOMMITTED, s.length);
        }
        return done;
    }

    /** Unmaps cached mappings cached at least {@code minIdleNanos}, oldest first, until {@code keepBytes} stay cached. */
    long unmapCached(long keepBytes, long minIdleNanos, long now) {
        List<Slab> gone = new ArrayList<>();
        synchronized (this) {
            while (cachedBytes > keepBytes) {
                Slab s = cachedByAge.getFirst();
                if (now - s.cachedSince < minIdleNanos) {
                    break;
                }
                removeFromBucketLocked(s);
                uncacheLocked(s);
                gone.add(s);
            }
        }
        long bytes = 0;
        for (Slab s : gone) {
            unmap(s);
            bytes += s.length;
        }
        return bytes;
    }

    /** Unmaps every live and cached block (close); a block taken concurrently is given back by its own call. */
    void close() {
        List<Slab> cached;
        synchronized (this) {
            closed = true;
            cached = new ArrayList<>(cachedByAge);
            for (Slab s : cached) {
                removeFromBucketLocked(s);
                uncacheLocked(s);
            }
        }
        for (Slab s : cached) {
            unmap(s);
        }
        for (Slab s : live.values()) {
            release(s);
        }
    }

    /** A snapshot of the live blocks, for the audit. */
    List<Slab> liveView() {
        return new ArrayList<>(live.values());
    }

    /** A snapshot of the cached mappings, for the audit. */
    synchronized List<Slab> cachedView() {
        return new ArrayList<>(cachedByAge);
    }
}
