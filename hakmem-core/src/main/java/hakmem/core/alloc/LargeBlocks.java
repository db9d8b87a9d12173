package hakmem.core.alloc;

import hakmem.core.os.OsLayer;
import hakmem.core.stats.Stat;
import hakmem.core.stats.Stats;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The blocks above the largest size class: one dedicated mapping each, unmapped when freed.
 *
 * <p>Concurrency: the set of live blocks is a concurrent map, and a block leaves it exactly once: whoever removes
 * it (its free, or {@link #close}) unmaps it and counts it, so a free racing close never unmaps a range twice and
 * never leaves one behind. A block mapped while close runs is given back by its own {@link #map} call.
 */
final class LargeBlocks {

    /** Dedicated mappings are aligned to a page-map unit, so no unit is shared with another slab. */
    static final long ALIGN = SizeClasses.SLAB_BYTES;

    private final HakmemAllocator owner;
    private final OsLayer os;
    private final Stats stats;
    private final ConcurrentHashMap<Long, Slab> live = new ConcurrentHashMap<>();
    /**
     * The addresses of the last 64 large blocks freed: a second free of one is reported as a double free rather than
     * a foreign address. Older ones cannot be told from addresses never allocated here (their mapping is gone).
     */
    private final long[] recentlyFreed = new long[64];
    private int next;
    private volatile boolean closed;

    LargeBlocks(HakmemAllocator owner, OsLayer os, Stats stats) {
        this.owner = owner;
        this.os = os;
        this.stats = stats;
    }

    /**
     * Maps a block of at least {@code size} bytes aligned to {@code alignment}; its fresh pages read as zero.
     *
     * @throws OutOfMemoryError if the OS refuses
     * @throws OsLayer.ClosedException if close has begun
     */
    long map(long size, long alignment) {
        long length = (size + os.pageSize() - 1) & -os.pageSize();
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
        live.put(address, s);
        stats.increment(Stat.LARGE_MAPPINGS);
        if (closed) { // close raced with us and may have missed this block: give it back ourselves
            release(s);
            throw new OsLayer.ClosedException();
        }
        return address;
    }

    /**
     * Frees the large block {@code s} at {@code address}; {@code op} names the user's call in messages.
     *
     * @throws IllegalArgumentException for an interior pointer
     * @throws IllegalStateException for a double free, or if close took the block first
     */
    void free(Slab s, long address, String op) {
        if (address != s.start) {
            stats.increment(Stat.INVALID_FREES);
            throw new IllegalArgumentException(op + ": 0x" + Long.toHexString(address) + " is not the start of a block "
                    + "(interior pointer into a " + s.length + "-byte block)");
        }
        if (!s.casMeta(0, Slab.LIVE, 0)) {
            stats.increment(Stat.DOUBLE_FREES);
            throw new IllegalStateException(op + ": block 0x" + Long.toHexString(address) + " is already free (double free)");
        }
        synchronized (recentlyFreed) {
            recentlyFreed[next++ & (recentlyFreed.length - 1)] = address;
        }
        if (!release(s)) {
            throw new OsLayer.ClosedException();
        }
    }

    /** Removes, forgets and unmaps one block if it is still live here; true if this call did it. */
    private boolean release(Slab s) {
        if (!live.remove(s.start, s)) {
            return false;
        }
        PageMap.forget(s.start, s.length);
        os.tryUnmap(s.start, s.length);
        stats.add(Stat.LARGE_MAPPINGS, -1);
        return true;
    }

    /** True if {@code address} is one of the last large blocks freed (their mappings are gone from the page map). */
    boolean recentlyFreed(long address) {
        synchronized (recentlyFreed) {
            for (long a : recentlyFreed) {
                if (a == address) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Unmaps every live block (close); a block mapped concurrently is given back by its own map call. */
    void close() {
        closed = true;
        for (Slab s : live.values()) {
            release(s);
        }
    }

    /** A snapshot of the live blocks, for the audit. */
    List<Slab> liveView() {
        return new ArrayList<>(live.values());
    }
}
