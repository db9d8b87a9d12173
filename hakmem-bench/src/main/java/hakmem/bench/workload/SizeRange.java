package hakmem.bench.workload;

/**
 * The block sizes of a Mixed-family loop, uniform {@code min..max} bytes: one draw {@code r} of the generator gives
 * {@code min + Long.remainderUnsigned(r, max - min + 1)} (GUIDE section 2).
 */
public record SizeRange(long min, long max) {
    /** Mixed WS=400: {@code 16 + rng % 1009}. */
    public static final SizeRange MIXED = new SizeRange(16, 1024);
    /** medium: {@code 1024 + rng % 261121}. */
    public static final SizeRange MEDIUM = new SizeRange(1024, 262_144);
    /** large: {@code 262144 + rng % 8126465}. */
    public static final SizeRange LARGE = new SizeRange(262_144, 8_388_608);

    public SizeRange {
        if (min < 1 || max < min || max > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("invalid size range " + min + ".." + max);
        }
    }

    /** How many sizes there are: the divisor of the draw. */
    public long span() {
        return max - min + 1;
    }

    /** The size a draw (the generator's output) gives. */
    public long size(long draw) {
        return min + Long.remainderUnsigned(draw, span());
    }

    @Override
    public String toString() {
        return min + ".." + max;
    }
}
