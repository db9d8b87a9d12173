package hakmem.core;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Test helper: fills blocks with a pattern derived from address and size, and checks it. */
public final class Blocks {
    public static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private Blocks() {
    }

    private static byte at(long address, long size, long i) {
        long x = (address * 0x9E3779B97F4A7C15L) ^ (size * 31) ^ (i * 0x2545F4914F6CDD1DL);
        return (byte) (x ^ (x >>> 29));
    }

    /** Writes the pattern to the first min(size, 64) bytes, the last min(size, 64) bytes and every 4 KiB. */
    public static void fill(long address, long size) {
        for (long i : probes(size)) {
            ALL.set(ValueLayout.JAVA_BYTE, address + i, at(address, size, i));
        }
    }

    public static void check(long address, long size) {
        for (long i : probes(size)) {
            byte got = ALL.get(ValueLayout.JAVA_BYTE, address + i);
            if (got != at(address, size, i)) {
                throw new AssertionError("block 0x" + Long.toHexString(address) + " (" + size + " B) corrupted at +" + i);
            }
        }
    }

    private static long[] probes(long size) {
        if (size <= 128) {
            long[] all = new long[(int) size];
            for (int i = 0; i < size; i++) {
                all[i] = i;
            }
            return all;
        }
        int pages = (int) Math.min(size / 4096, 256);
        long[] out = new long[128 + pages];
        int k = 0;
        for (int i = 0; i < 64; i++) {
            out[k++] = i;
            out[k++] = size - 1 - i;
        }
        for (int p = 0; p < pages; p++) {
            out[k++] = (long) p * 4096 + 100;
        }
        return out;
    }
}
