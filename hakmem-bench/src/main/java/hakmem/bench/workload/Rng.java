package hakmem.bench.workload;

/**
 * The reference generator of the Mixed WS=400 definition: xorshift64*, seed {@value #SEED_HEX}. Workloads inline
 * the step in their loops (a local {@code long} state); this class is the single statement of it, used to seed
 * threads and to compute the state a loop must end in.
 */
public final class Rng {
    /** The reference seed. */
    public static final long SEED = 0x9E3779B97F4A7C15L;
    static final String SEED_HEX = "0x9E3779B97F4A7C15";
    /** The xorshift64* output multiplier. */
    public static final long MULTIPLIER = 0x2545F4914F6CDD1DL;
    /** The state after 2,000,000 warm-up plus 20,000,000 timed Mixed ops (two draws per op). */
    public static final long MIXED_REFERENCE_FINAL = 0x63f0a3f5478f516fL;

    private Rng() {
    }

    /** Advances a state by one step (the state, not the output). */
    public static long step(long x) {
        x ^= x >>> 12;
        x ^= x << 25;
        x ^= x >>> 27;
        return x;
    }

    /** The output of the step that produced state {@code x}. */
    public static long output(long x) {
        return x * MULTIPLIER;
    }

    /** The state after {@code steps} steps from {@code x}. */
    public static long advance(long x, long steps) {
        for (long i = 0; i < steps; i++) {
            x = step(x);
        }
        return x;
    }

    /**
     * The seed of thread {@code index} of a workload: thread 0 uses the reference seed, the others a seed
     * derived from it with splitmix64 (never 0, the one state xorshift cannot leave).
     */
    public static long seed(int index) {
        if (index == 0) {
            return SEED;
        }
        long z = SEED + 0x9E3779B97F4A7C15L * index;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return z == 0 ? SEED : z;
    }
}
