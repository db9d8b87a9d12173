package hakmem.core.alloc;

/**
 * The Java-heap bytes of the allocator's bookkeeping, from the object layout of HotSpot with compressed oops and
 * compressed class pointers (the default below a 32 GiB heap): a 12-byte object header, 16 bytes before an array's
 * first element, 4-byte references, every object rounded up to 8 bytes. The figures are estimates of that layout,
 * not measurements; {@code MetadataSizeTest} checks them against the bytes the JVM really allocates for each
 * structure. Counted in the stat {@code metadata_bytes}.
 */
final class MetadataSize {

    private static final long HEADER = 12;
    private static final long ARRAY_HEADER = 16;
    private static final long REF = 4;

    /** A {@link RemoteLine}: an int and 14 longs of padding around an int and two references. */
    static final long REMOTE_LINE = align(align(HEADER + 4 + 7 * 8 + 4 + 2 * REF) + 7 * 8);
    /**
     * A {@link Slab} object without its arrays: 5 longs, 4 ints, 4 booleans, 9 references, and its
     * {@link RemoteLine}. Written out so that a new field shows up in review next to this sum (and in the test).
     */
    static final long SLAB_OBJECT = align(HEADER + 5 * 8 + 4 * 4 + 4 + 9 * REF) + REMOTE_LINE;
    /** A large block's {@link Slab}: the object and its one-entry arrays (its remote line is a shared one). */
    static final long LARGE_SLAB = SLAB_OBJECT - REMOTE_LINE + array(4, 1) + array(2, 1);
    /** The class pool's collections hold about two references per slab (committed or clean queue, and growth slack). */
    private static final long POOL_ENTRIES_PER_SLAB = 2 * REF;
    /**
     * A {@link Heap}: the object (8 references, 2 booleans, a long), its three per-class arrays, its collect scratch
     * (64 ints at first), its lock and the lock's sync.
     */
    static final long HEAP = align(HEADER + 8 * REF + 2 + 8) + REMOTE_LINE + 3 * array(REF, SizeClasses.COUNT) + array(4, 64)
            + align(HEADER + REF) + align(HEADER + 4 + 3 * REF);
    /**
     * A region of the large-block page heap of {@code units} 64 KiB units: the object (3 longs, 2 ints, 4
     * references), its edge table (a reference per unit), its committed and zero bitmaps and its free time per unit.
     * The free spans' objects (40 bytes each, a few per region) are not counted.
     */
    static long region(int units) {
        int words = (units + 63) >>> 6;
        return align(HEADER + 3 * 8 + 2 * 4 + 4 * REF) + array(REF, units) + 2 * array(8, words) + array(8, units);
    }

    /** One leaf of the page map: 2<sup>16</sup> references. */
    static final long PAGE_MAP_LEAF = array(REF, 1 << 16);

    private MetadataSize() {
    }

    static long align(long bytes) {
        return (bytes + 7) & -8L;
    }

    /** An array of {@code n} elements of {@code elementBytes} each. */
    static long array(long elementBytes, long n) {
        return align(ARRAY_HEADER + elementBytes * n);
    }

    /** A slab of class {@code c}: the object, its {@code int} per block and its {@code short} per block (each one extra). */
    static long slab(int c) {
        long blocks = SizeClasses.slabBytes(c) / SizeClasses.BLOCK[c] + 1;
        return SLAB_OBJECT + array(4, blocks) + array(2, blocks) + POOL_ENTRIES_PER_SLAB;
    }

    /** A superslab of class {@code c}: the object (2 longs, 2 ints, 1 reference), its slab array and its slabs. */
    static long superSlab(int c) {
        int slabs = (int) (SizeClasses.SUPERSLAB_BYTES / SizeClasses.slabBytes(c));
        return align(HEADER + 2 * 8 + 2 * 4 + REF) + array(REF, slabs) + slabs * slab(c);
    }
}
