package hakmem.core.alloc;

import hakmem.api.spi.Advice;
import hakmem.core.jfr.EventSource;
import hakmem.core.jfr.UnmapEvent;
import hakmem.core.os.OsLayer;
import hakmem.core.stats.Stat;
import hakmem.core.stats.Stats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The blocks above the largest size class, carved from a page heap: large mappings (<em>regions</em>) cut into
 * 64 KiB-unit spans, each span either one live block or free. A freed block's span coalesces with its free
 * neighbours at once, and a request takes the smallest free span that holds it (the most recently freed of that
 * length first: its pages are the hottest), so a workload whose large blocks vary in size reuses the same memory
 * without a system call. tcmalloc's page heap and jemalloc's extents are the models.
 *
 * <p>Regions: a request no free span can hold maps a new region of at least the request and otherwise as large as
 * the most all regions ever held together (8 MiB at first, 64 MiB at most): a program with one large buffer maps little, one with many
 * maps a few large regions. A region whose units are all free again is <em>empty</em>: only empty regions are ever
 * unmapped, by the bound given at each free (the oldest-emptied first, while the empty regions hold more) or by
 * the policy through the handle; free spans inside a used region can only be decommitted.
 *
 * <p>Per unit a region keeps three facts: <em>committed</em> (handed out since it was fresh or decommitted, so
 * possibly resident), <em>zero</em> (fresh from mmap or dropped with MADV_DONTNEED: calloc need not clear it), and
 * when it was last freed (the idle time the policy's decommit asks about). The free bytes, committed or not, are
 * what the policy sees as "cached large" memory ({@link #cachedBytes()}, {@link #cachedCommittedBytes()}).
 *
 * <p>The page map indexes a large block by its first unit only (one entry written per block, not one per 64 KiB:
 * with up to 128 reference stores per block, the writes were a quarter of the large workload's time); an interior
 * address is resolved on the slow path by {@link #liveBlockContaining}.
 *
 * <p>Double frees: a freed block's page-map entry keeps pointing at its {@link Slab}, whose entry is no longer
 * {@code LIVE}, until another block starts at that unit; a second free is caught until then (or reported as an
 * interior pointer once another block covers it), and after its region is unmapped for the last 64 large blocks
 * freed ({@link #recentlyFreed}).
 *
 * <p>Concurrency: one lock guards every structure, held across a decommit's madvise (a span is never advised while
 * being carved) and a region's mmap; munmaps happen outside it, after the region has left every structure. A block
 * changes state (LIVE to free) under the lock, so {@link #close} and a racing free never both give a range back.
 */
final class LargeBlocks {

    /** The span unit: a page-map unit, so no unit is shared with another slab. */
    static final long ALIGN = SizeClasses.SLAB_BYTES;
    private static final int UNIT_SHIFT = SizeClasses.SLAB_SHIFT;
    /** The first region's size, and the smallest one mapped for a request that fits in it. */
    static final long MIN_REGION = 8L << 20;
    /** The largest region mapped for requests below it; a larger request gets a region of its own length. */
    static final long MAX_REGION = 64L << 20;
    /** Free spans shorter than this many units are on exact-length lists; longer ones on one list searched best-fit. */
    private static final int EXACT = (int) (MAX_REGION >>> UNIT_SHIFT);

    /** A run of free units of one region: on its length's list, its first and last units in the region's edges. */
    private static final class Span {
        final Region region;
        int unit;
        int units;
        /** The latest free of any of its units (orders decommits, longest-idle first). */
        long since;
        Span prev;
        Span next;

        Span(Region region, int unit, int units, long since) {
            this.region = region;
            this.unit = unit;
            this.units = units;
            this.since = since;
        }

        long start() {
            return region.start + ((long) unit << UNIT_SHIFT);
        }
    }

    /** One mapping of the page heap. */
    private static final class Region {
        final long start;
        final long length;
        final int units;
        /** The free span whose first or last unit this is, else null. */
        final Span[] edge;
        final long[] committed;
        final long[] zero;
        final long[] freedAt;
        int freeUnits;
        /** When its last live block was freed (meaningful while it is empty). */
        long emptySince;

        Region(long start, long length, long now) {
            this.start = start;
            this.length = length;
            this.units = (int) (length >>> UNIT_SHIFT);
            this.edge = new Span[units];
            int words = (units + 63) >>> 6;
            this.committed = new long[words];
            this.zero = new long[words];
            Bits.set(zero, 0, units);
            this.freedAt = new long[units];
            this.freeUnits = units;
            this.emptySince = now;
        }

        boolean empty() {
            return freeUnits == units;
        }
    }

    private final Object owner; // identity of the owning allocator
    private final OsLayer os;
    private final Stats stats;
    private final LongSupplier clock;
    private final EventSource source;

    // ---- guarded by this ----
    /** The regions, by address. */
    private Region[] regions = new Region[0];
    private long regionBytes;
    /** The most the regions ever held together: new regions grow with it, so unmapping never brings back small ones. */
    private long peakRegionBytes;
    private final Span[] exact = new Span[EXACT];
    private final long[] nonEmpty = new long[EXACT >>> 6];
    private Span oversize;
    private long liveBytes;
    private int liveBlocks;
    private long freeBytes;
    private long freeCommittedBytes;
    private long peakFreeBytes;
    private long freeBytesAdded;
    private int peakLiveBlocks;
    private long blocksCarved;
    private long hits;
    /** Bytes of the regions that hold no live block. */
    private long emptyBytes;
    private boolean closed;
    /**
     * The addresses of the last 64 large blocks freed: once their region is unmapped (the page map forgets it), a
     * free of one is still reported as a double free rather than a foreign address.
     */
    private final long[] recentlyFreed = new long[64];
    private int nextFreed;

    LargeBlocks(Object owner, OsLayer os, Stats stats, LongSupplier clock, EventSource source) {
        this.owner = owner;
        this.os = os;
        this.stats = stats;
        this.clock = clock;
        this.source = source;
        // counted here under the heap's lock, off the stats' atomics (each was a lock-prefixed update per call)
        stats.external(Stat.LARGE_CACHED_BYTES, new Figures(this, 0));
        stats.external(Stat.LARGE_BLOCKS, new Figures(this, 1));
        stats.external(Stat.LARGE_CACHE_HITS, new Figures(this, 2));
        stats.external(Stat.METADATA_BYTES, new Figures(this, 3)); // the live blocks' slabs; region tables: add()
    }

    /** One of the heap's counts, read for the stats box. */
    private record Figures(LargeBlocks heap, int which) implements Stats.External {
        @Override
        public long current() {
            synchronized (heap) {
                return switch (which) {
                    case 0 -> heap.freeBytes;
                    case 1 -> heap.liveBlocks;
                    case 3 -> heap.liveBlocks * MetadataSize.LARGE_SLAB;
                    default -> 0;
                };
            }
        }

        @Override
        public long peak() {
            synchronized (heap) {
                return switch (which) {
                    case 0 -> heap.peakFreeBytes;
                    case 1 -> heap.peakLiveBlocks;
                    case 3 -> heap.peakLiveBlocks * MetadataSize.LARGE_SLAB;
                    default -> 0;
                };
            }
        }

        @Override
        public long total() {
            synchronized (heap) {
                return switch (which) {
                    case 0 -> heap.freeBytesAdded;
                    case 1 -> heap.blocksCarved;
                    case 2 -> heap.hits;
                    default -> heap.blocksCarved * MetadataSize.LARGE_SLAB;
                };
            }
        }
    }

    /** Adds {@code bytes} (positive: a free or a new region) to the free bytes, with their peak and total. */
    private void countFree(long bytes) {
        freeBytes += bytes;
        if (bytes > 0) {
            freeBytesAdded += bytes;
            peakFreeBytes = Math.max(peakFreeBytes, freeBytes);
        }
    }

    /** Bytes of live large blocks. */
    synchronized long liveBytes() {
        return liveBytes;
    }

    /** The length a request of {@code size} bytes takes: whole 64 KiB units. */
    static long lengthFor(long size) {
        return (size + ALIGN - 1) & -ALIGN;
    }

    /**
     * A block of at least {@code size} bytes aligned to {@code alignment} (a power of two): its address, plus 1 in
     * the lowest bit when its bytes are known to be zero (fresh, or dropped with DONTNEED).
     *
     * @throws OutOfMemoryError if the OS refuses a new region (nothing changed)
     * @throws OsLayer.ClosedException if close has begun
     */
    synchronized long take(long size, long alignment) {
        if (closed) {
            throw new OsLayer.ClosedException();
        }
        long length = lengthFor(size);
        int units = (int) (length >>> UNIT_SHIFT);
        long align = Math.max(alignment, ALIGN);
        Span span = align == ALIGN ? fit(units) : fitAligned(units, align);
        if (span != null) {
            hits++;
        } else {
            span = mapRegion(length, align, size);
        }
        long address = (span.start() + align - 1) & -align;
        return carve(span, (int) ((address - span.region.start) >>> UNIT_SHIFT), units);
    }

    /** The smallest free span of at least {@code units}, the most recently freed of its length; or null. */
    private Span fit(int units) {
        if (units < EXACT) {
            int w = units >>> 6;
            long bits = nonEmpty[w] & (-1L << (units & 63));
            while (true) {
                if (bits != 0) {
                    return exact[(w << 6) + Long.numberOfTrailingZeros(bits)];
                }
                if (++w == nonEmpty.length) {
                    break;
                }
                bits = nonEmpty[w];
            }
        }
        Span best = null;
        for (Span s = oversize; s != null; s = s.next) {
            if (s.units >= units && (best == null || s.units < best.units)) {
                best = s;
            }
        }
        return best;
    }

    /** The smallest free span holding {@code units} at an address aligned to {@code align} (rare: big alignments). */
    private Span fitAligned(int units, long align) {
        Span best = null;
        for (Span s : freeSpans()) {
            long a = (s.start() + align - 1) & -align;
            long end = s.start() + ((long) s.units << UNIT_SHIFT);
            if (a + ((long) units << UNIT_SHIFT) <= end && (best == null || s.units < best.units)) {
                best = s;
            }
        }
        return best;
    }

    /** Maps a region for a request of {@code length} bytes and returns its one free span. */
    private Span mapRegion(long length, long align, long size) {
        // every term is a multiple of ALIGN (length by lengthFor, the bounds, and peakRegionBytes a sum of regions)
        long want = Math.max(length, Math.min(MAX_REGION, Math.max(MIN_REGION, peakRegionBytes)));
        long address = os.map(want, align, "a block of " + size + " bytes");
        if (!PageMap.indexable(address, want)) {
            os.tryUnmap(address, want);
            throw new OutOfMemoryError("hakmem: the OS returned an address above 2^48 for a block of " + size + " bytes");
        }
        long now = clock.getAsLong();
        Region r = new Region(address, want, now);
        Region[] grown = Arrays.copyOf(regions, regions.length + 1);
        int i = grown.length - 1;
        while (i > 0 && grown[i - 1].start > address) {
            grown[i] = grown[i - 1];
            i--;
        }
        grown[i] = r;
        regions = grown;
        regionBytes += want;
        stats.add(Stat.METADATA_BYTES, MetadataSize.region(r.units));
        peakRegionBytes = Math.max(peakRegionBytes, regionBytes);
        emptyBytes += want;
        stats.increment(Stat.LARGE_MAPPINGS);
        Span s = new Span(r, 0, r.units, now);
        addFree(s);
        countFree(want);
        return s;
    }

    /** Cuts a live block of {@code units} at {@code unit} out of the free span {@code s}; returns address | zero bit. */
    private long carve(Span s, int unit, int units) {
        Region r = s.region;
        if (r.empty()) {
            emptyBytes -= r.length;
        }
        removeFree(s);
        int before = unit - s.unit;
        int after = s.unit + s.units - (unit + units);
        if (before > 0) {
            addFree(new Span(r, s.unit, before, s.since));
        }
        if (after > 0) {
            s.unit = unit + units;
            s.units = after;
            addFree(s);
        }
        boolean zero = Bits.all(r.zero, unit, units);
        Bits.clear(r.zero, unit, units);
        long bytes = (long) units << UNIT_SHIFT;
        freeCommittedBytes -= (long) Bits.count(r.committed, unit, units) << UNIT_SHIFT;
        Bits.set(r.committed, unit, units);
        r.freeUnits -= units;
        countFree(-bytes);
        liveBytes += bytes;
        liveBlocks++;
        peakLiveBlocks = Math.max(peakLiveBlocks, liveBlocks);
        blocksCarved++;
        long address = r.start + ((long) unit << UNIT_SHIFT);
        Slab b = new Slab(owner, address, bytes);
        PageMap.set(address, ALIGN, b); // the first unit only: a free finds the block by its start (see the class doc)
        return address | (zero ? 1 : 0);
    }

    /**
     * Frees the large block {@code s} at {@code address}; if that empties its region and the empty regions then hold
     * more than {@code limit} bytes, empty regions are unmapped, the longest-empty first, until they hold at most
     * {@code limit}; {@code op} names the user's call in messages. (Free spans inside used regions cannot be
     * unmapped: the bound is on whole empty mappings kept, so a working set that shrinks and grows back within
     * its regions costs no system call.)
     *
     * {@code address} is {@code s.start}: the caller's lookup has rejected interior pointers.
     *
     * @return the block's length if its memory stays with the heap, 0 if its region was unmapped
     * @throws IllegalStateException for a double free, or if close took the block first
     */
    long free(Slab s, long address, String op, long limit) {
        List<Region> gone = null;
        long kept;
        synchronized (this) {
            if (!s.casMeta(0, Slab.LIVE, 0)) {
                stats.increment(Stat.DOUBLE_FREES);
                throw new IllegalStateException(op + ": block 0x" + Long.toHexString(address) + " is already free (double free)");
            }
            if (closed) {
                throw new OsLayer.ClosedException(); // close took it with its region
            }
            recentlyFreed[nextFreed++ & (recentlyFreed.length - 1)] = address;
            Region r = regionOf(address);
            int unit = (int) ((address - r.start) >>> UNIT_SHIFT);
            int units = (int) (s.length >>> UNIT_SHIFT);
            long now = clock.getAsLong();
            Arrays.fill(r.freedAt, unit, unit + units, now);
            r.freeUnits += units;
            liveBytes -= s.length;
            liveBlocks--;
            countFree(s.length);
            freeCommittedBytes += s.length; // carve set every unit committed
            Span merged = new Span(r, unit, units, now);
            Span left = unit > 0 ? r.edge[unit - 1] : null;
            if (left != null) {
                removeFree(left);
                merged.unit = left.unit;
                merged.units += left.units;
            }
            Span right = unit + units < r.units ? r.edge[unit + units] : null;
            if (right != null) {
                removeFree(right);
                merged.units += right.units;
            }
            addFree(merged);
            kept = s.length;
            if (r.empty()) {
                r.emptySince = now;
                emptyBytes += r.length;
                if (emptyBytes > limit) {
                    gone = evictEmpty(limit, 0, now, true);
                    if (gone.contains(r)) {
                        kept = 0;
                    }
                }
            }
        }
        if (gone != null && !gone.isEmpty()) { // the bound's own unmaps: a JFR event like the policy's
            UnmapEvent event = new UnmapEvent();
            event.begin();
            unmapAll(gone);
            if (event.shouldCommit()) {
                source.stamp(event);
                event.sizeClass = "large";
                event.mappings = gone.size();
                event.bytes = gone.stream().mapToLong(r -> r.length).sum();
                event.commit();
            }
        }
        return kept;
    }

    /**
     * The live block whose bytes include {@code address}, or null (slow path: a walk of its region). The page map
     * indexes only a large block's first unit; this answers for interior addresses.
     */
    synchronized Slab liveBlockContaining(long address) {
        Region r = regionAt(address);
        if (r != null) {
            for (int u = 0; u < r.units; ) {
                Span s = r.edge[u];
                if (s != null && s.unit == u) {
                    u += s.units;
                    continue;
                }
                Slab b = PageMap.get(r.start + ((long) u << UNIT_SHIFT));
                if (b == null || b.start != r.start + ((long) u << UNIT_SHIFT)) {
                    return null; // not reached while the heap is consistent (the audit checks it)
                }
                if (address < b.start + b.length) {
                    return address >= b.start ? b : null;
                }
                u += (int) (b.length >>> UNIT_SHIFT);
            }
        }
        return null;
    }

    private Region regionOf(long address) {
        Region r = regionAt(address);
        if (r == null) {
            throw new IllegalStateException("hakmem: large block 0x" + Long.toHexString(address) + " lies in no region");
        }
        return r;
    }

    /** The region holding {@code address}, or null: a binary search of the regions by address. */
    private Region regionAt(long address) {
        int lo = 0;
        int hi = regions.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Region r = regions[mid];
            if (address < r.start) {
                hi = mid - 1;
            } else if (address >= r.start + r.length) {
                lo = mid + 1;
            } else {
                return r;
            }
        }
        return null;
    }

    private void addFree(Span s) {
        Region r = s.region;
        r.edge[s.unit] = s;
        r.edge[s.unit + s.units - 1] = s;
        s.prev = null;
        if (s.units < EXACT) {
            s.next = exact[s.units];
            exact[s.units] = s;
            nonEmpty[s.units >>> 6] |= 1L << (s.units & 63);
        } else {
            s.next = oversize;
            oversize = s;
        }
        if (s.next != null) {
            s.next.prev = s;
        }
    }

    private void removeFree(Span s) {
        Region r = s.region;
        r.edge[s.unit] = null;
        r.edge[s.unit + s.units - 1] = null;
        if (s.next != null) {
            s.next.prev = s.prev;
        }
        if (s.prev != null) {
            s.prev.next = s.next;
        } else if (s.units < EXACT) {
            exact[s.units] = s.next;
            if (s.next == null) {
                nonEmpty[s.units >>> 6] &= ~(1L << (s.units & 63));
            }
        } else {
            oversize = s.next;
        }
        s.prev = null;
        s.next = null;
    }

    /**
     * Takes empty regions, empty at least {@code minIdleNanos}, the longest-empty first, out of every structure while
     * the free bytes exceed {@code keepBytes}; the caller unmaps them after releasing the lock.
     */
    private List<Region> evictEmpty(long keepBytes, long minIdleNanos, long now, boolean ofEmpty) {
        List<Region> gone = new ArrayList<>();
        while ((ofEmpty ? emptyBytes : freeBytes) > keepBytes) {
            Region oldest = null;
            for (Region r : regions) {
                if (r.empty() && now - r.emptySince >= minIdleNanos && (oldest == null || r.emptySince < oldest.emptySince)) {
                    oldest = r;
                }
            }
            if (oldest == null) {
                break;
            }
            removeRegion(oldest);
            gone.add(oldest);
        }
        return gone;
    }

    private void removeRegion(Region r) {
        removeFree(r.edge[0]);
        emptyBytes -= r.length;
        countFree(-r.length);
        freeCommittedBytes -= (long) Bits.count(r.committed, 0, r.units) << UNIT_SHIFT;
        regionBytes -= r.length;
        stats.add(Stat.METADATA_BYTES, -MetadataSize.region(r.units));
        Region[] rest = new Region[regions.length - 1];
        int j = 0;
        for (Region x : regions) {
            if (x != r) {
                rest[j++] = x;
            }
        }
        regions = rest;
    }

    /** Forgets and unmaps regions that are in no structure any more. */
    private void unmapAll(List<Region> gone) {
        if (gone == null) {
            return;
        }
        for (Region r : gone) {
            PageMap.forget(r.start, r.length);
            os.tryUnmap(r.start, r.length);
            stats.add(Stat.LARGE_MAPPINGS, -1);
        }
    }

    /** True if {@code address} is one of the last 64 large blocks freed. */
    synchronized boolean recentlyFreed(long address) {
        for (long a : recentlyFreed) {
            if (a == address && address != 0) {
                return true;
            }
        }
        return false;
    }

    /** Free bytes of the regions (fresh or freed, committed or not): what the policy sees as cached. */
    synchronized long cachedBytes() {
        return freeBytes;
    }

    /** Of {@link #cachedBytes()}, the bytes handed out since they were fresh or decommitted. */
    synchronized long cachedCommittedBytes() {
        return freeCommittedBytes;
    }

    /**
     * Decommits committed free units idle at least {@code minIdleNanos}, the spans longest idle first, until at most
     * {@code keepBytes} of committed free memory remain.
     */
    synchronized long decommitCached(long keepBytes, long minIdleNanos, Advice advice, long now) {
        if (freeCommittedBytes <= keepBytes) {
            return 0;
        }
        List<Span> spans = freeSpans();
        spans.sort(Comparator.comparingLong(s -> s.since));
        long done = 0;
        for (Span s : spans) {
            Region r = s.region;
            int end = s.unit + s.units;
            for (int u = s.unit; u < end && freeCommittedBytes > keepBytes; ) {
                if (!Bits.get(r.committed, u) || now - r.freedAt[u] < minIdleNanos) {
                    u++;
                    continue;
                }
                int v = u + 1;
                while (v < end && Bits.get(r.committed, v) && now - r.freedAt[v] >= minIdleNanos) {
                    v++;
                }
                long bytes = (long) (v - u) << UNIT_SHIFT;
                if (!os.decommit(r.start + ((long) u << UNIT_SHIFT), bytes, advice)) {
                    return done; // decommit disabled or refused
                }
                Bits.clear(r.committed, u, v - u);
                if (advice == Advice.DONTNEED) {
                    Bits.set(r.zero, u, v - u);
                }
                freeCommittedBytes -= bytes;
                done += bytes;
                stats.increment(Stat.LARGE_DECOMMITS);
                stats.add(Stat.BYTES_DECOMMITTED, bytes);
                u = v;
            }
            if (freeCommittedBytes <= keepBytes) {
                break;
            }
        }
        return done;
    }

    private List<Span> freeSpans() {
        List<Span> out = new ArrayList<>();
        for (Region r : regions) {
            for (int u = 0; u < r.units; ) {
                Span s = r.edge[u];
                if (s != null && s.unit == u) {
                    out.add(s);
                    u += s.units;
                } else {
                    u++;
                }
            }
        }
        return out;
    }

    /** Unmaps empty regions empty at least {@code minIdleNanos}, the longest-empty first, until at most {@code keepBytes} free bytes remain. */
    long unmapCached(long keepBytes, long minIdleNanos, long now) {
        List<Region> gone;
        synchronized (this) {
            gone = evictEmpty(keepBytes, minIdleNanos, now, false);
        }
        unmapAll(gone);
        long bytes = 0;
        for (Region r : gone) {
            bytes += r.length;
        }
        return bytes;
    }

    /** Unmaps every region, live blocks and all (close). */
    void close() {
        Region[] all;
        synchronized (this) {
            closed = true;
            all = regions;
            for (Region r : all) {
                stats.add(Stat.METADATA_BYTES, -MetadataSize.region(r.units));
            }
            regions = new Region[0];
            Arrays.fill(exact, null);
            Arrays.fill(nonEmpty, 0);
            oversize = null;
            freeBytes = 0;
            freeCommittedBytes = 0;
            emptyBytes = 0;
            liveBytes = 0;
            liveBlocks = 0;
            regionBytes = 0;
        }
        unmapAll(List.of(all));
    }

    /** What the audit checks of the large heap. */
    record View(List<Slab> live, int regions, long regionBytes, long freeBytes) {
    }

    /**
     * Checks the heap's invariants under its lock, adding a line per violation to {@code problems}: each region is
     * tiled exactly by live blocks (page map pointing at their live slab) and maximal free spans (on their lists,
     * edges right), and the counters match.
     */
    synchronized View audit(List<String> problems) {
        List<Slab> live = new ArrayList<>();
        long free = 0;
        long committedFree = 0;
        long liveSum = 0;
        long empty = 0;
        int listed = 0;
        for (Region r : regions) {
            if (!os.owns(r.start, r.length)) {
                problems.add("large region 0x" + Long.toHexString(r.start) + " is not a mapping the OS layer owns");
            }
            int freeUnits = 0;
            boolean prevFree = false;
            for (int u = 0; u < r.units; ) {
                long a = r.start + ((long) u << UNIT_SHIFT);
                Span s = r.edge[u];
                if (s != null) {
                    if (s.unit != u || r.edge[u + s.units - 1] != s || s.region != r) {
                        problems.add("free span at 0x" + Long.toHexString(a) + " has wrong edges");
                        break;
                    }
                    if (prevFree) {
                        problems.add("free span at 0x" + Long.toHexString(a) + " was not merged with the free span before it");
                    }
                    for (int v = u + 1; v < u + s.units - 1; v++) {
                        if (r.edge[v] != null) {
                            problems.add("free span at 0x" + Long.toHexString(a) + " has an edge inside it");
                        }
                    }
                    if (!onList(s)) {
                        problems.add("free span at 0x" + Long.toHexString(a) + " is on no list");
                    }
                    listed++;
                    freeUnits += s.units;
                    committedFree += (long) Bits.count(r.committed, u, s.units) << UNIT_SHIFT;
                    prevFree = true;
                    u += s.units;
                    continue;
                }
                Slab b = PageMap.get(a);
                if (b == null || !b.large || b.start != a || b.allocator != owner || b.metaVolatile(0) != Slab.LIVE) {
                    problems.add("large region 0x" + Long.toHexString(r.start) + " unit " + u + " is neither free nor the "
                            + "start of a live block");
                    break;
                }
                for (long x = a + ALIGN; x < a + b.length; x += ALIGN) { // interior units: never a LIVE block's
                    Slab m = PageMap.get(x);
                    if (m != null && m.metaVolatile(0) == Slab.LIVE) {
                        problems.add("the page map sends 0x" + Long.toHexString(x) + " inside large block 0x"
                                + Long.toHexString(a) + " to a live block");
                        break;
                    }
                }
                live.add(b);
                liveSum += b.length;
                prevFree = false;
                u += (int) (b.length >>> UNIT_SHIFT);
            }
            if (freeUnits != r.freeUnits) {
                problems.add("large region 0x" + Long.toHexString(r.start) + " counts " + r.freeUnits + " free units, holds " + freeUnits);
            }
            free += (long) freeUnits << UNIT_SHIFT;
            if (freeUnits == r.units) {
                empty += r.length;
            }
        }
        if (empty != emptyBytes) {
            problems.add("the large heap counts " + emptyBytes + " bytes of empty regions, holds " + empty);
        }
        int onLists = 0;
        for (Span s : exact) {
            for (; s != null; s = s.next) {
                onLists++;
            }
        }
        for (Span s = oversize; s != null; s = s.next) {
            onLists++;
        }
        if (onLists != listed) {
            problems.add("the free lists hold " + onLists + " spans, the regions " + listed);
        }
        if (free != freeBytes || committedFree != freeCommittedBytes || liveSum != liveBytes || live.size() != liveBlocks) {
            problems.add("the large heap counts free " + freeBytes + " committed " + freeCommittedBytes + " live " + liveBytes
                    + " in " + liveBlocks + ", holds " + free + ", " + committedFree + ", " + liveSum + " in " + live.size());
        }
        return new View(live, regions.length, regionBytes, free);
    }

    private boolean onList(Span s) {
        Span head = s.units < EXACT ? exact[s.units] : oversize;
        for (Span x = head; x != null; x = x.next) {
            if (x == s) {
                return true;
            }
        }
        return false;
    }

    /** Bit ranges over a long[], a word at a time. */
    private static final class Bits {
        private Bits() {
        }

        static boolean get(long[] w, int i) {
            return (w[i >>> 6] & (1L << (i & 63))) != 0;
        }

        /** The mask of bits {@code from..to-1} within word {@code word} (bit ranges may span words). */
        private static long mask(int word, int from, int to) {
            int lo = Math.max(from - (word << 6), 0);
            int hi = Math.min(to - (word << 6), 64);
            long m = hi == 64 ? -1L : (1L << hi) - 1;
            return m & (-1L << lo);
        }

        static void set(long[] w, int from, int n) {
            for (int i = from >>> 6, last = (from + n - 1) >>> 6; i <= last; i++) {
                w[i] |= mask(i, from, from + n);
            }
        }

        static void clear(long[] w, int from, int n) {
            for (int i = from >>> 6, last = (from + n - 1) >>> 6; i <= last; i++) {
                w[i] &= ~mask(i, from, from + n);
            }
        }

        static int count(long[] w, int from, int n) {
            int c = 0;
            for (int i = from >>> 6, last = (from + n - 1) >>> 6; i <= last; i++) {
                c += Long.bitCount(w[i] & mask(i, from, from + n));
            }
            return c;
        }

        static boolean all(long[] w, int from, int n) {
            for (int i = from >>> 6, last = (from + n - 1) >>> 6; i <= last; i++) {
                long m = mask(i, from, from + n);
                if ((w[i] & m) != m) {
                    return false;
                }
            }
            return true;
        }
    }
}
