package hakmem.core.reliability;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Byte patterns derived from a block's address and size: byte {@code k} of the pattern with seed {@code s} is
 * byte {@code k % 8} (little-endian) of {@code word(s, k / 8)}. Two live blocks never share a seed by chance, and
 * a block reused at the same address with another size gets another pattern, so a stale or crossed write shows.
 * A prefix of a pattern is a pattern: realloc keeps the old block's pattern in the new block's first bytes.
 */
final class Patterns {

    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Patterns() {
    }

    static long seed(long address, long size) {
        return mix(address * 0x9E3779B97F4A7C15L ^ Long.rotateLeft(size, 29) ^ 0x5DEECE66DL);
    }

    static long word(long seed, long index) {
        return mix(seed + index * 0xBF58476D1CE4E5B9L);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static byte expected(long seed, long offset) {
        return (byte) (word(seed, offset >>> 3) >>> ((offset & 7) * 8));
    }

    static MemorySegment at(long address, long size) {
        return MemorySegment.ofAddress(address).reinterpret(size);
    }

    /** Fills {@code [address, address + size)} with the pattern of seed {@code seed(address, size)}. */
    static void fill(long address, long size) {
        fill(address, size, seed(address, size));
    }

    static void fill(long address, long size, long seed) {
        if (size == 0) {
            return;
        }
        MemorySegment s = at(address, size);
        long words = size >>> 3;
        for (long i = 0; i < words; i++) {
            s.set(WORD, i << 3, word(seed, i));
        }
        for (long k = words << 3; k < size; k++) {
            s.set(ValueLayout.JAVA_BYTE, k, expected(seed, k));
        }
    }

    /**
     * The first offset in {@code [from, to)} where the bytes at {@code address} differ from the pattern
     * {@code seed}, or -1.
     */
    static long mismatch(long address, long from, long to, long seed) {
        if (to <= from) {
            return -1;
        }
        MemorySegment s = at(address, to);
        long k = from;
        while (k < to && (k & 7) != 0) {
            if (s.get(ValueLayout.JAVA_BYTE, k) != expected(seed, k)) {
                return k;
            }
            k++;
        }
        for (; k + 8 <= to; k += 8) {
            if (s.get(WORD, k) != word(seed, k >>> 3)) {
                for (long j = k; j < k + 8; j++) {
                    if (s.get(ValueLayout.JAVA_BYTE, j) != expected(seed, j)) {
                        return j;
                    }
                }
            }
        }
        for (; k < to; k++) {
            if (s.get(ValueLayout.JAVA_BYTE, k) != expected(seed, k)) {
                return k;
            }
        }
        return -1;
    }

    /** Checks the whole pattern; throws {@link AssertionError} naming the block and the first bad byte. */
    static void verify(String what, long address, long size, long seed) {
        verifyRange(what, address, 0, size, seed);
    }

    static void verifyRange(String what, long address, long from, long to, long seed) {
        long bad = mismatch(address, from, to, seed);
        if (bad >= 0) {
            throw new AssertionError(what + " at " + Reliability.hex(address) + ": byte at offset " + bad + " is "
                    + at(address, to).get(ValueLayout.JAVA_BYTE, bad) + ", expected " + expected(seed, bad)
                    + " (checked [" + from + ", " + to + "))");
        }
    }

    /** Checks only the first and last {@code edge} bytes: cheap enough to run after every step. */
    static void verifyEdges(String what, long address, long size, long seed, long edge) {
        if (size <= 2 * edge) {
            verifyRange(what, address, 0, size, seed);
        } else {
            verifyRange(what, address, 0, edge, seed);
            verifyRange(what, address, size - edge, size, seed);
        }
    }

    /** The first non-zero offset in {@code [0, size)}, or -1. */
    static long firstNonZero(long address, long size) {
        MemorySegment s = at(address, size);
        long k = 0;
        for (; k + 8 <= size; k += 8) {
            if (s.get(WORD, k) != 0) {
                break;
            }
        }
        for (; k < size; k++) {
            if (s.get(ValueLayout.JAVA_BYTE, k) != 0) {
                return k;
            }
        }
        return -1;
    }
}
