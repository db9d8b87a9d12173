package hakmem.core.reliability;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The fuzz test's view of its input: consumes bytes from the front, and returns the lower bound once they run
 * out. Jazzer 0.24.0 cannot instrument Java 25 classes, so libFuzzer gets no coverage feedback, keeps only a
 * one-byte corpus entry and grows inputs slowly; an input shorter than {@link #EXPAND_TO} is therefore extended
 * with bytes from a PRNG seeded by its content, so that every execution runs a long operation stream and each
 * mutation of a short input is a new random program. The extension is deterministic, so regression inputs replay
 * exactly.
 */
final class ByteInput {

    static final int EXPAND_TO = 2048;

    private final byte[] bytes;
    private int pos;

    ByteInput(byte[] input) {
        if (input.length >= EXPAND_TO) {
            bytes = input;
        } else {
            bytes = Arrays.copyOf(input, EXPAND_TO);
            SplittableRandom r = new SplittableRandom(Arrays.hashCode(input) * 0x9E3779B97F4A7C15L + input.length);
            for (int i = input.length; i < EXPAND_TO; i++) {
                bytes[i] = (byte) r.nextInt(256);
            }
        }
    }

    int remainingBytes() {
        return bytes.length - pos;
    }

    private long take(int n) {
        long v = 0;
        for (int i = 0; i < n && pos < bytes.length; i++) {
            v = (v << 8) | (bytes[pos++] & 0xFF);
        }
        return v;
    }

    boolean consumeBoolean() {
        return (take(1) & 1) != 0;
    }

    /** A value in {@code [min, max]}; {@code min} once the input is used up. */
    int consumeInt(int min, int max) {
        return (int) consumeLong(min, max);
    }

    /** A value in {@code [min, max]}; {@code min} once the input is used up. */
    long consumeLong(long min, long max) {
        if (max < min) {
            throw new IllegalArgumentException("max " + max + " < min " + min);
        }
        long span = max - min; // unsigned
        if (remainingBytes() == 0) {
            return min;
        }
        int n = span == 0 ? 0 : (64 - Long.numberOfLeadingZeros(span) + 7) / 8;
        long raw = take(n);
        if (span == -1L) {
            return min + raw;
        }
        return min + Long.remainderUnsigned(raw, span + 1);
    }
}
