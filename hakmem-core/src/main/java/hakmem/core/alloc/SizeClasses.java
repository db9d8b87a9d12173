package hakmem.core.alloc;

import hakmem.api.spi.SizeClass;
import java.util.ArrayList;
import java.util.List;

/**
 * The size-class table. C0..C7 are hakmem's tiny classes (8 B .. 1 KiB, powers of two); above them four classes
 * per doubling up to {@link #MAX_CLASS} (1 MiB). Classes up to {@link #MAX_SMALL} (32 KiB) live in 64 KiB slabs,
 * the medium classes above it in slabs of a whole superslab (2 MiB: 51 blocks of 40 KiB .. 2 of 1 MiB); every
 * superslab serves one class only. Larger requests get a mapping each, cached for reuse when freed.
 */
final class SizeClasses {

    static final int SLAB_SHIFT = 16;
    static final long SLAB_BYTES = 1L << SLAB_SHIFT;
    static final int SUPERSLAB_SHIFT = 21;
    static final long SUPERSLAB_BYTES = 1L << SUPERSLAB_SHIFT;
    static final int SLABS_PER_SUPERSLAB = 1 << (SUPERSLAB_SHIFT - SLAB_SHIFT);
    static final int TINY_CLASSES = 8;
    static final long MAX_TINY = 1024;
    /** The largest class in 64 KiB slabs. */
    static final long MAX_SMALL = 32768;
    /** The largest class: above it a block gets a mapping of its own. */
    static final long MAX_CLASS = 1L << 20;

    static final long[] BLOCK;
    /** Per class, the bytes of one slab: 64 KiB up to {@link #MAX_SMALL}, a whole superslab above. */
    static final long[] SLAB;
    static final int COUNT;
    /** For sizes 1025..32768: the class of size s is MEDIUM[(s - 1) >>> 8]. */
    private static final byte[] MEDIUM = new byte[(int) (MAX_SMALL >>> 8)];
    /** For sizes 32769..1 MiB: the class of size s is BIG[(s - 1) >>> 13] (classes there are multiples of 8 KiB). */
    private static final byte[] BIG = new byte[(int) (MAX_CLASS >>> 13)];

    static {
        List<Long> sizes = new ArrayList<>();
        for (long s = 8; s <= MAX_TINY; s <<= 1) {
            sizes.add(s);
        }
        for (long base = 1024; base < MAX_CLASS; base <<= 1) {
            for (int q = 1; q <= 4; q++) {
                sizes.add(base + q * (base / 4));
            }
        }
        COUNT = sizes.size();
        BLOCK = sizes.stream().mapToLong(Long::longValue).toArray();
        SLAB = new long[COUNT];
        for (int i = 0; i < COUNT; i++) {
            SLAB[i] = BLOCK[i] <= MAX_SMALL ? SLAB_BYTES : SUPERSLAB_BYTES;
        }
        fill(MEDIUM, 8, TINY_CLASSES);
        fill(BIG, 13, 0);
    }

    /** table[i] = the smallest class holding every size of bucket i (sizes ((i << shift), (i + 1) << shift]). */
    private static void fill(byte[] table, int shift, int from) {
        int c = from;
        for (int i = 0; i < table.length; i++) {
            long maxOfBucket = ((long) i + 1) << shift; // sizes in this bucket are <= this
            while (BLOCK[c] < maxOfBucket) {
                c++;
            }
            table[i] = (byte) c;
        }
    }

    private SizeClasses() {
    }

    /** The class malloc uses for {@code 1 <= size <= MAX_CLASS}: at least C1, so blocks are 16-byte aligned. */
    static int mallocClass(long size) {
        if (size <= MAX_TINY) {
            return 61 - Long.numberOfLeadingZeros((size - 1) | 15);
        }
        return size <= MAX_SMALL ? MEDIUM[(int) ((size - 1) >>> 8)] : BIG[(int) ((size - 1) >>> 13)];
    }

    /** The bytes of one slab of class {@code c}. */
    static long slabBytes(int c) {
        return SLAB[c];
    }

    /** The smallest class whose blocks hold {@code size} bytes at an offset aligned to {@code alignment}, or -1. */
    static int alignedClass(long size, long alignment) {
        if (size > MAX_CLASS || alignment > MAX_CLASS) {
            return -1;
        }
        int c = size <= 8 ? 0 : (size <= MAX_TINY ? 61 - Long.numberOfLeadingZeros((size - 1) | 7) : mallocClass(size));
        for (; c < COUNT; c++) {
            // slabs are aligned to their own size, so a block is aligned when its size is a multiple of alignment
            if (BLOCK[c] % alignment == 0 && alignment <= SLAB[c]) {
                return c;
            }
        }
        return -1;
    }

    static List<SizeClass> describe() {
        List<SizeClass> out = new ArrayList<>(COUNT);
        for (int i = 0; i < COUNT; i++) {
            out.add(new SizeClass(i, BLOCK[i], SLAB[i], SUPERSLAB_BYTES));
        }
        return List.copyOf(out);
    }
}
