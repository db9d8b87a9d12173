package hakmem.core.os;

import hakmem.api.spi.Advice;
import hakmem.api.spi.OsBox;
import hakmem.core.jfr.DecommitDisabledEvent;
import hakmem.core.jfr.EventSource;
import hakmem.core.stats.Stat;
import hakmem.core.stats.Stats;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The OS layer: the only way the allocator reaches an {@link OsBox}. It aligns, counts every call in the stats
 * box, reports errors, and enforces the madvise guard:
 * <ul>
 *   <li>a range is advised only if it is page-aligned and lies wholly inside a mapping this layer made and has
 *       not unmapped (the "DSO guard": never touch memory the allocator did not map);</li>
 *   <li>the first madvise error disables decommit for this allocator (fail fast), is logged once with errno and
 *       range, and is counted; later decommit requests are refused without a system call.</li>
 * </ul>
 * The deciders (release policies) only decide when; the caller guarantees that an advised range holds no live
 * block. Thread-safe.
 */
public final class OsLayer {

    private static final System.Logger LOG = System.getLogger("hakmem.os");

    private final OsBox box;
    private final Stats stats;
    private final long pageSize;
    /** Mappings this layer owns: start -> length. */
    private final ConcurrentSkipListMap<Long, Long> mappings = new ConcurrentSkipListMap<>();
    /** Guards {@link #closed}, registering a new mapping, and removing + unmapping one (so mincore never races munmap). */
    private final Object unmapLock = new Object();
    private volatile boolean decommitEnabled = true;
    /** Set by {@link #close()}: no mapping is registered after it, so none can be left behind. */
    private boolean closed;
    /** Names the allocator in this layer's JFR event (the madvise failure that disables decommit). */
    private volatile EventSource source = EventSource.UNKNOWN;

    /** Thrown by {@link #map} once {@link #close()} has begun: a caller raced the allocator's close. */
    public static final class ClosedException extends IllegalStateException {
        public ClosedException() {
            super("hakmem: the allocator is closed");
        }
    }

    public OsLayer(OsBox box, Stats stats) {
        this.box = box;
        this.stats = stats;
        this.pageSize = box.pageSize();
        if (pageSize <= 0 || Long.bitCount(pageSize) != 1) {
            throw new IllegalStateException("OS box reported an invalid page size: " + pageSize);
        }
    }

    /** Names the allocator this layer serves in its JFR events (set once, by the allocator at open). */
    public void eventSource(EventSource source) {
        this.source = source;
    }

    public long pageSize() {
        return pageSize;
    }

    /**
     * Maps {@code length} bytes aligned to {@code alignment} (a power of two, at least the page size); maps
     * {@code length + alignment} and unmaps the unaligned head and tail when the kernel's choice is not aligned.
     *
     * @throws OutOfMemoryError naming the request and errno when the OS refuses
     */
    public long map(long length, long alignment, String what) {
        if (length <= 0 || (length & (pageSize - 1)) != 0 || Long.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("map: length " + length + " must be a positive multiple of the page size "
                    + pageSize + " and alignment " + alignment + " a power of two");
        }
        alignment = Math.max(alignment, pageSize);
        long a = rawMap(length, what);
        if ((a & (alignment - 1)) == 0) {
            return register(a, length);
        }
        rawUnmap(a, length);
        long over = length + alignment;
        if (over < 0) {
            throw new OutOfMemoryError("hakmem: cannot map " + length + " bytes for " + what + ": size overflow");
        }
        long b = rawMap(over, what);
        long aligned = (b + alignment - 1) & -alignment;
        long head = aligned - b;
        long tail = over - head - length;
        if (head > 0) {
            rawUnmap(b, head);
        }
        if (tail > 0) {
            rawUnmap(aligned + length, tail);
        }
        return register(aligned, length);
    }

    /** Records a fresh mapping as owned, or gives it back at once if close has begun. */
    private long register(long address, long length) {
        synchronized (unmapLock) {
            if (!closed) {
                mappings.put(address, length);
                return address;
            }
            rawUnmap(address, length);
        }
        throw new ClosedException();
    }

    private long rawMap(long length, String what) {
        stats.increment(Stat.MMAP_CALLS);
        long r = box.mmap(length);
        if (r < 0 || r == 0) {
            stats.increment(Stat.MMAP_ERRORS);
            int errno = (int) -r;
            throw new OutOfMemoryError("hakmem: the OS refused to map " + length + " bytes for " + what + ": mmap failed with "
                    + Errno.describe(errno));
        }
        stats.add(Stat.MMAP_BYTES, length);
        stats.add(Stat.MAPPED_BYTES, length);
        return r;
    }

    private void rawUnmap(long address, long length) {
        stats.increment(Stat.MUNMAP_CALLS);
        int r = box.munmap(address, length);
        if (r != 0) {
            // munmap of a range we mapped can only fail on a broken invariant; keep going, the range stays mapped.
            LOG.log(System.Logger.Level.ERROR, "hakmem: munmap(0x{0}, {1}) failed with {2}", Long.toHexString(address),
                    length, Errno.describe(-r));
            return;
        }
        stats.add(Stat.MUNMAP_BYTES, length);
        stats.add(Stat.MAPPED_BYTES, -length);
    }

    /** Unmaps a whole mapping made by {@link #map}; {@link IllegalStateException} if it is not one (any more). */
    public void unmap(long address, long length) {
        if (!tryUnmap(address, length)) {
            throw new IllegalStateException("unmap of 0x" + Long.toHexString(address) + "+" + length
                    + " which is not a mapping this allocator owns (" + mappings.get(address) + ")");
        }
    }

    /**
     * Unmaps a whole mapping made by {@link #map} if it is still owned. Atomic: of two threads unmapping one
     * mapping (a free racing close), exactly one makes the system call; the other gets false.
     */
    public boolean tryUnmap(long address, long length) {
        synchronized (unmapLock) {
            if (!mappings.remove(address, length)) {
                return false;
            }
            rawUnmap(address, length);
            return true;
        }
    }

    /** True while decommit is allowed (no madvise error yet). */
    public boolean decommitEnabled() {
        return decommitEnabled;
    }

    /**
     * Decommits a range through the guard.
     *
     * @return true if the range was advised; false if decommit is disabled or the guard refused the range
     */
    public boolean decommit(long address, long length, Advice advice) {
        if (!decommitEnabled) {
            return false;
        }
        if (!owns(address, length)) {
            stats.increment(Stat.MADVISE_REFUSED);
            LOG.log(System.Logger.Level.WARNING, "hakmem: madvise guard refused 0x{0}+{1}: not page-aligned or not inside "
                    + "a mapping this allocator owns", Long.toHexString(address), length);
            return false;
        }
        stats.increment(Stat.MADVISE_CALLS);
        int r = box.madvise(address, length, advice);
        if (r != 0) {
            stats.increment(Stat.MADVISE_ERRORS);
            boolean first;
            synchronized (this) {
                first = decommitEnabled;
                decommitEnabled = false;
            }
            stats.flag(Stat.DECOMMIT_DISABLED);
            if (first) {
                DecommitDisabledEvent event = new DecommitDisabledEvent();
                if (event.shouldCommit()) {
                    source.stamp(event);
                    event.address = address;
                    event.bytes = length;
                    event.advice = advice.name();
                    event.error = Errno.describe(-r);
                    event.commit();
                }
                LOG.log(System.Logger.Level.WARNING, "hakmem: madvise(0x{0}, {1}, MADV_{2}) failed with {3}; "
                        + "decommit is disabled for this allocator from now on", Long.toHexString(address), length,
                        advice, Errno.describe(-r));
            }
            return false;
        }
        stats.add(Stat.MADVISE_BYTES, length);
        return true;
    }

    /** True if {@code [address, address+length)} is page-aligned and inside one mapping this layer owns. */
    public boolean owns(long address, long length) {
        if (length <= 0 || ((address | length) & (pageSize - 1)) != 0) {
            return false;
        }
        Map.Entry<Long, Long> e = mappings.floorEntry(address);
        return e != null && address - e.getKey() + length <= e.getValue() && address + length > address;
    }

    /**
     * Resident bytes of every mapping this layer owns (mincore).
     *
     * @throws IllegalStateException if mincore fails (the message names errno and range)
     */
    public long residentBytes() {
        long total = 0;
        for (Map.Entry<Long, Long> e : mappings.entrySet()) {
            synchronized (unmapLock) { // a concurrent unmap would make mincore fail with ENOMEM
                if (e.getValue().equals(mappings.get(e.getKey()))) {
                    total += residentBytes(e.getKey(), e.getValue());
                }
            }
        }
        return total;
    }

    /** Resident bytes of one owned range (mincore); {@link IllegalStateException} if mincore fails. */
    public long residentBytes(long address, long length) {
        if (!owns(address, length)) {
            throw new IllegalArgumentException("mincore of 0x" + Long.toHexString(address) + "+" + length
                    + ": not inside a mapping this allocator owns");
        }
        stats.increment(Stat.MINCORE_CALLS);
        long pages = box.residentPages(address, length);
        if (pages < 0) {
            throw new IllegalStateException("hakmem: mincore(0x" + Long.toHexString(address) + ", " + length
                    + ") failed with " + Errno.describe((int) -pages));
        }
        return pages * pageSize;
    }

    /** From now on no new mapping is kept: {@link #map} gives its result back and throws {@link ClosedException}. */
    public void close() {
        synchronized (unmapLock) {
            closed = true;
        }
    }

    /** Unmaps every mapping still owned (close); each exactly once, whatever races it. */
    public void unmapAll() {
        for (Map.Entry<Long, Long> e : mappings.entrySet()) {
            tryUnmap(e.getKey(), e.getValue());
        }
    }

    /** Calls {@code action} with the start and length of every mapping still owned. */
    public void forEachMapping(java.util.function.BiConsumer<Long, Long> action) {
        mappings.forEach(action);
    }

    public int mappingCount() {
        return mappings.size();
    }
}
