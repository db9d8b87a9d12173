package hakmem.core.alloc;

/**
 * Finds the slab that owns an address in O(1): a two-level radix table of 64 KiB units covering a 48-bit address
 * space (root indexed by bits 47..32, leaves by bits 31..16). Superslabs are 2 MiB aligned and dedicated mappings
 * 64 KiB aligned, so every unit belongs to at most one slab. A lookup never touches the memory at the address, so a
 * foreign or stale address is answered safely.
 *
 * <p>The table is one per JVM (addresses are unique across allocators; each slab names its allocator), so its root
 * is a static final array the JIT treats as a constant: a lookup is two dependent loads, one in the hot span.
 *
 * <p>Concurrency: writes happen under the class lock. Reads are plain: a legitimate free reaches the entry through
 * the happens-before edge that handed the block to the caller; a racy bogus lookup sees either null or a slab whose
 * geometry fields are final.
 */
final class PageMap {

    private static final int LEAF_BITS = 16;
    private static final int ROOT_BITS = 16;
    private static final int UNIT_SHIFT = SizeClasses.SLAB_SHIFT;
    private static final int SPAN_SHIFT = UNIT_SHIFT + LEAF_BITS;
    private static final int LEAF_MASK = (1 << LEAF_BITS) - 1;

    private static final Slab[][] ROOT = new Slab[1 << ROOT_BITS][];

    /**
     * The leaf of the 4 GiB span that got the first leaf (the kernel places a process's mappings close together, so
     * most slabs are there): a lookup in it is one address-dependent load, the span and leaf being loads that do not
     * wait for the address. Immutable, published through its final fields; written once, under the class lock.
     */
    private record Hot(long span, Slab[] leaf) {
    }

    private static Hot hot = new Hot(-1, new Slab[1 << LEAF_BITS]);

    private PageMap() {
    }

    static Slab get(long address) {
        Hot h = hot;
        long r = address >>> SPAN_SHIFT;
        if (r == h.span) {
            return h.leaf[(int) (address >>> UNIT_SHIFT) & LEAF_MASK];
        }
        if (r >= (1 << ROOT_BITS)) {
            return null;
        }
        Slab[] leaf = ROOT[(int) r];
        return leaf == null ? null : leaf[(int) (address >>> UNIT_SHIFT) & LEAF_MASK];
    }

    /** The span (address bits 47..32) of the hot leaf, or -1 before the first leaf (tests). */
    static long hotSpan() {
        return hot.span;
    }

    /** True if the table can index {@code [address, address + length)}. */
    static boolean indexable(long address, long length) {
        return address > 0 && ((address + length - 1) >>> (SPAN_SHIFT + ROOT_BITS)) == 0;
    }

    /** Forgets {@code [address, address + length)}. */
    static void forget(long address, long length) {
        set(address, length, null);
    }

    /**
     * Points every unit of {@code [address, address + length)} at {@code slab} (null: forget them).
     *
     * @return the number of leaves this call created (each {@link MetadataSize#PAGE_MAP_LEAF} bytes, never freed)
     */
    static synchronized int set(long address, long length, Slab slab) {
        int created = 0;
        long end = address + length;
        for (long a = address; a < end; ) {
            int r = (int) (a >>> SPAN_SHIFT);
            long leafEnd = Math.min(end, (long) (r + 1) << SPAN_SHIFT);
            Slab[] leaf = ROOT[r];
            if (leaf == null) {
                if (slab == null) {
                    a = leafEnd;
                    continue;
                }
                leaf = new Slab[1 << LEAF_BITS];
                ROOT[r] = leaf;
                created++;
                if (hot.span < 0) {
                    hot = new Hot(r, leaf);
                }
            }
            int from = (int) (a >>> UNIT_SHIFT) & LEAF_MASK;
            int to = from + (int) ((leafEnd - a + (1L << UNIT_SHIFT) - 1) >>> UNIT_SHIFT);
            java.util.Arrays.fill(leaf, from, to, slab);
            a = leafEnd;
        }
        return created;
    }
}
