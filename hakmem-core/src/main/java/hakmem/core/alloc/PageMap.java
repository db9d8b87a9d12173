package hakmem.core.alloc;

import java.util.Arrays;

/**
 * Finds the slab that owns an address in O(1): a two-level radix table of 64 KiB units covering a 48-bit address
 * space (root indexed by bits 47..32, leaves by bits 31..16). Superslabs are 2 MiB aligned and dedicated mappings
 * 64 KiB aligned, so every unit belongs to at most one of the allocator's slabs. A lookup never touches the
 * memory at the address, so a foreign or stale address is answered safely.
 *
 * <p>Concurrency: writes happen under this object's lock. Reads are plain: a legitimate free reaches the entry
 * through the happens-before edge that handed the block to the caller; a racy bogus lookup sees either null or a
 * slab whose geometry fields are final.
 */
final class PageMap {

    private static final int LEAF_BITS = 16;
    private static final int ROOT_BITS = 16;
    private static final int UNIT_SHIFT = SizeClasses.SLAB_SHIFT;

    private final Slab[][] root = new Slab[1 << ROOT_BITS][];

    Slab get(long address) {
        long r = address >>> (UNIT_SHIFT + LEAF_BITS);
        if (r >= (1 << ROOT_BITS)) {
            return null;
        }
        Slab[] leaf = root[(int) r];
        return leaf == null ? null : leaf[(int) (address >>> UNIT_SHIFT) & ((1 << LEAF_BITS) - 1)];
    }

    /** True if the allocator can index {@code [address, address + length)}. */
    static boolean indexable(long address, long length) {
        return address > 0 && ((address + length - 1) >>> (UNIT_SHIFT + LEAF_BITS + ROOT_BITS)) == 0;
    }

    synchronized void set(long address, long length, Slab slab) {
        for (long a = address; a < address + length; a += 1L << UNIT_SHIFT) {
            int r = (int) (a >>> (UNIT_SHIFT + LEAF_BITS));
            Slab[] leaf = root[r];
            if (leaf == null) {
                if (slab == null) {
                    continue;
                }
                leaf = new Slab[1 << LEAF_BITS];
                root[r] = leaf;
            }
            leaf[(int) (a >>> UNIT_SHIFT) & ((1 << LEAF_BITS) - 1)] = slab;
        }
    }

    synchronized void clear() {
        Arrays.fill(root, null);
    }
}
