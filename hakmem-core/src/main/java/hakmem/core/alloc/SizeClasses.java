package hakmem.core.alloc;

import hakmem.api.spi.SizeClass;
import java.util.ArrayList;
import java.util.List;

/**
 * The size-class table. C0..C7 are hakmem's tiny classes (8 B .. 1 KiB, powers of two); above them four classes
 * per doubling up to {@link #MAX_SMALL} (32 KiB). Every class lives in 64 KiB slabs carved from 2 MiB superslabs
 * that serve that class only. Larger requests get a dedicated mapping each.
 */
final class SizeClasses {

    static final int SLAB_SHIFT = 16;
    static final long SLAB_BYTES = 1L << SLAB_SHIFT;
    static final int SUPERSLAB_SHIFT = 21;
    static final long SUPERSLAB_BYTES = 1L << SUPERSLAB_SHIFT;
    static final int SLABS_PER_SUPERSLAB = 1 << (SUPERSLAB_SHIFT - SLAB_SHIFT);
    static final int TINY_CLASSES = 8;
    static final long MAX_TINY = 1024;
    static final long MAX_SMALL = 32768;

    static final long[] BLOCK;
    static final int COUNT;
    /** For sizes 1025..32768: the class of size s is MEDIUM[(s - 1) >>> 8]. */
    private static final byte[] MEDIUM = new byte[(int) (MAX_SMALL >>> 8)];

    static {
        List<Long> sizes = new ArrayList<>();
        for (long s = 8; s <= MAX_TINY; s <<= 1) {
            sizes.add(s);
        }
        for (long base = 1024; base < MAX_SMALL; base <<= 1) {
            for (int q = 1; q <= 4; q++) {
                sizes.add(base + q * (base / 4));
            }
        }
        COUNT = sizes.size();
        BLOCK = sizes.stream().mapToLong(Long::longValue).toArray();
        int c = TINY_CLASSES;
        for (int i = 0; i < MEDIUM.length; i++) {
            long maxOfBucket = ((long) i << 8) + 256; // sizes in this bucket are <= this
            while (BLOCK[c] < maxOfBucket) {
                c++;
            }
            MEDIUM[i] = (byte) c;
        }
    }

    private SizeClasses() {
    }

    /** The class malloc uses for {@code 1 <= size <= MAX_SMALL}: at least C1, so blocks are 16-byte aligned. */
    static int mallocClass(long size) {
        if (size <= MAX_TINY) {
            return 61 - Long.numberOfLeadingZeros((size - 1) | 15);
        }
        return MEDIUM[(int) ((size - 1) >>> 8)];
    }

    /** The smallest class whose blocks hold {@code size} bytes at an offset aligned to {@code alignment}, or -1. */
    static int alignedClass(long size, long alignment) {
        if (size > MAX_SMALL || alignment > MAX_SMALL) {
            return -1;
        }
        int c = size <= 8 ? 0 : (size <= MAX_TINY ? 61 - Long.numberOfLeadingZeros((size - 1) | 7) : MEDIUM[(int) ((size - 1) >>> 8)]);
        for (; c < COUNT; c++) {
            if (BLOCK[c] % alignment == 0) {
                return c;
            }
        }
        return -1;
    }

    static List<SizeClass> describe() {
        List<SizeClass> out = new ArrayList<>(COUNT);
        for (int i = 0; i < COUNT; i++) {
            out.add(new SizeClass(i, BLOCK[i], SLAB_BYTES, SUPERSLAB_BYTES));
        }
        return List.copyOf(out);
    }
}
