package hakmem.core.alloc;

import hakmem.core.os.OsLayer;
import hakmem.core.stats.Stat;
import hakmem.core.stats.Stats;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The invariant audit: walks every structure of one allocator and lists each broken invariant.
 * <ul>
 *   <li>every slab is in exactly one state: a heap's current, on one heap's partial list, full (on no list), in its
 *       pool's committed empties or clean ones, or retired (in no pool and no heap);</li>
 *   <li>its meta entries agree with its counters: {@code used} = live + remote entries, the free list holds every
 *       other block once, a pool's slab holds no block, a partial slab has a free block;</li>
 *   <li>the page map points every unit of every superslab and live large block at its slab, so no address lies in
 *       two live blocks; the large heap's regions are tiled by live blocks and maximal free spans
 *       ({@link LargeBlocks#audit});</li>
 *   <li>each count of the stats box equals what the audit counts, and the OS layer's mappings are exactly the
 *       superslabs and the large heap's regions.</li>
 * </ul>
 * Valid only while no other thread is inside the allocator (tests call it between steps or after joining their
 * threads); it takes the registry and pool locks only for visibility, never changes anything, and is a slow walk.
 */
final class Audit {

    private final List<String> problems = new ArrayList<>();

    private Audit() {
    }

    static List<String> run(List<Heap> heaps, ClassPool[] pools, LargeBlocks large, Stats stats, OsLayer os) {
        Audit a = new Audit();
        a.check(heaps, pools, large, stats, os);
        return List.copyOf(a.problems);
    }

    private void fail(String problem) {
        if (problems.size() < 50) {
            problems.add(problem);
        }
    }

    private static String name(Slab s) {
        return (s.large ? "large block 0x" : "slab 0x") + Long.toHexString(s.start) + (s.large ? "" : " (C" + s.sizeClass + ")");
    }

    private void check(List<Heap> heaps, ClassPool[] pools, LargeBlocks large, Stats stats, OsLayer os) {
        // Where each slab is referenced from: heap current / partial, pool lists.
        Map<Slab, String> place = new IdentityHashMap<>();
        Set<Heap> heapSet = Collections.newSetFromMap(new IdentityHashMap<>());
        heapSet.addAll(heaps);
        if (heapSet.size() != heaps.size()) {
            fail("a heap is registered twice");
        }
        for (Heap h : heaps) {
            checkHeap(h, place);
        }
        long superSlabs = 0;
        long inUse = 0;
        long mapped = 0;
        int mappings = 0;
        for (int c = 0; c < pools.length; c++) {
            ClassPool p = pools[c];
            Set<Slab> committed = identitySet(p.committedEmptyView());
            Set<Slab> clean = identitySet(p.cleanView());
            long committedCount = 0;
            for (Slab s : committed) {
                claim(place, s, "pool C" + c + " committed empties");
            }
            for (Slab s : clean) {
                claim(place, s, "pool C" + c + " clean slabs");
            }
            for (SuperSlab ss : p.superSlabsView()) {
                superSlabs++;
                mappings++;
                mapped += SizeClasses.SUPERSLAB_BYTES;
                if (ss.sizeClass != c) {
                    fail("superslab 0x" + Long.toHexString(ss.base) + " of C" + ss.sizeClass + " is in pool C" + c);
                }
                if (!os.owns(ss.base, SizeClasses.SUPERSLAB_BYTES)) {
                    fail("superslab 0x" + Long.toHexString(ss.base) + " is not a mapping the OS layer owns");
                }
                int inPool = 0;
                for (Slab s : ss.slabs) {
                    checkPageMap(s);
                    if (s.committed) {
                        committedCount++;
                    }
                    if (s.inPool) {
                        inPool++;
                        if (committed.contains(s) == clean.contains(s)) {
                            fail(name(s) + " is in its pool but " + (committed.contains(s) ? "on both lists" : "on no list"));
                        } else if (committed.contains(s) != s.committed) {
                            fail(name(s) + " is on the " + (s.committed ? "clean" : "committed") + " list but committed=" + s.committed);
                        }
                        if (s.owner != Heap.NONE || s.ownerThread != null || s.listed || s.used != 0) {
                            fail(name(s) + " is in its pool but owner=" + s.owner + " ownerThread=" + s.ownerThread
                                    + " listed=" + s.listed + " used=" + s.used);
                        }
                    } else {
                        inUse++;
                        if (s.owner == Heap.NONE || !heapSet.contains(s.owner)) {
                            fail(name(s) + " is out of its pool but owned by " + (s.owner == Heap.NONE ? "no heap" : "an unregistered heap"));
                        }
                        Thread ot = s.ownerThread;
                        if (ot != null && ot != s.owner.thread && ot.isAlive()) { // stale only towards an ended thread
                            fail(name(s) + " names live thread " + ot.getName() + " as its owner's, but its heap is "
                                    + (s.owner.thread == null ? "pooled" : s.owner.thread.getName() + "'s"));
                        }
                        if (committed.contains(s) || clean.contains(s)) {
                            fail(name(s) + " is owned by a heap and on a pool list");
                        }
                        String where = place.get(s);
                        if (s.listed != (where != null)) {
                            fail(name(s) + " listed=" + s.listed + " but it is " + (where == null ? "on no list (full)" : where));
                        }
                        if (where == null && s.freeHead >= 0) {
                            fail(name(s) + " is full (on no list) but has free blocks");
                        }
                    }
                    checkBlocks(s);
                }
                if (inPool != ss.inPool) {
                    fail("superslab 0x" + Long.toHexString(ss.base) + " counts " + ss.inPool + " slabs in its pool, holds " + inPool);
                }
            }
            if (committedCount != p.committedSlabCount()) {
                fail("pool C" + c + " counts " + p.committedSlabCount() + " committed slabs, holds " + committedCount);
            }
        }
        for (Map.Entry<Slab, String> e : place.entrySet()) {
            Slab s = e.getKey();
            if (s.superSlab == null || !pools[s.sizeClass].superSlabsView().contains(s.superSlab)) {
                fail(name(s) + " is referenced by " + e.getValue() + " but its superslab is retired");
            }
        }
        List<String> largeProblems = new ArrayList<>();
        LargeBlocks.View view = large.audit(largeProblems);
        largeProblems.forEach(this::fail);
        mappings += view.regions();
        mapped += view.regionBytes();
        expect(stats, Stat.LARGE_CACHED_BYTES, view.freeBytes());
        expect(stats, Stat.LARGE_MAPPINGS, view.regions());
        expect(stats, Stat.LARGE_BLOCKS, view.live().size());
        expect(stats, Stat.SUPERSLABS, superSlabs);
        expect(stats, Stat.SLABS_IN_USE, inUse);
        expect(stats, Stat.MAPPED_BYTES, mapped);
        expect(stats, Stat.HEAPS, heaps.size());
        if (os.mappingCount() != mappings) {
            fail("the OS layer owns " + os.mappingCount() + " mappings, the allocator accounts for " + mappings);
        }
    }

    private void checkHeap(Heap h, Map<Slab, String> place) {
        for (int c = 0; c < h.current.length; c++) {
            Slab s = h.current[c];
            if (s != Slab.NO_SLAB) {
                claim(place, s, "a heap's current C" + c);
                if (s.owner != h || s.sizeClass != c || s.inPool) {
                    fail(name(s) + " is a heap's current C" + c + " but owner matches=" + (s.owner == h) + " inPool=" + s.inPool);
                }
            }
            Slab prev = null;
            int steps = 0;
            for (Slab p = h.partial[c]; p != null; p = p.nextPartial) {
                if (++steps > 1_000_000) {
                    fail("a heap's partial list C" + c + " has a cycle");
                    break;
                }
                claim(place, p, "a heap's partial list C" + c);
                if (p.prevPartial != prev) {
                    fail(name(p) + " has a wrong back link on its partial list");
                }
                if (p.owner != h || p.sizeClass != c || p.inPool) {
                    fail(name(p) + " is on a heap's partial list C" + c + " but owner matches=" + (p.owner == h) + " inPool=" + p.inPool);
                }
                if (p.freeHead < 0) {
                    fail(name(p) + " is on a partial list but has no free block");
                }
                if (p.used == 0 && !p.hasRemote()) {
                    fail(name(p) + " is empty but still on a partial list (not given back to its pool)");
                }
                prev = p;
            }
            if (h.partialTail[c] != prev) {
                fail("a heap's partial tail C" + c + " is not the last slab of its list");
            }
        }
    }

    private void claim(Map<Slab, String> place, Slab s, String where) {
        String before = place.put(s, where);
        if (before != null) {
            fail(name(s) + " is in two places: " + before + " and " + where);
        }
    }

    /** Meta entries against {@code used} and the free list. */
    private void checkBlocks(Slab s) {
        int live = 0;
        int remote = 0;
        for (int i = 0; i < s.capacity; i++) {
            int m = s.metaVolatile(i);
            if (m == Slab.LIVE) {
                live++;
            } else if (m == Slab.REMOTE) {
                remote++;
            } else if (!Slab.isFree(m) || Slab.next(m) >= s.capacity) {
                fail(name(s) + " block " + i + " has a corrupt entry " + Integer.toHexString(m));
            }
        }
        if (s.used != live + remote) {
            fail(name(s) + " counts used=" + s.used + " but holds " + live + " live and " + remote + " remote blocks");
        }
        boolean[] seen = new boolean[s.capacity];
        int free = 0;
        for (int i = s.freeHead; i >= 0; i = Slab.next(s.metaVolatile(i))) {
            if (i >= s.capacity || seen[i] || !Slab.isFree(s.metaVolatile(i))) {
                fail(name(s) + " free list is broken at block " + i);
                break;
            }
            seen[i] = true;
            free++;
        }
        if (free + live + remote != s.capacity) {
            fail(name(s) + " free list holds " + free + " blocks; with " + live + " live and " + remote + " remote that is not "
                    + s.capacity);
        }
    }

    private void checkPageMap(Slab s) {
        for (long a = s.start; a < s.start + s.length; a += SizeClasses.SLAB_BYTES) {
            Slab m = PageMap.get(a);
            if (m != s) {
                fail("the page map sends 0x" + Long.toHexString(a) + " to " + (m == null ? "nothing" : name(m)) + ", not "
                        + name(s));
                return;
            }
        }
    }

    private void expect(Stats stats, Stat stat, long counted) {
        long v = stats.get(stat);
        if (v != counted) {
            fail("stat " + stat.statName() + " reads " + v + ", the audit counts " + counted);
        }
    }

    private static Set<Slab> identitySet(List<Slab> slabs) {
        Set<Slab> set = Collections.newSetFromMap(new IdentityHashMap<>());
        set.addAll(slabs);
        return set;
    }
}
