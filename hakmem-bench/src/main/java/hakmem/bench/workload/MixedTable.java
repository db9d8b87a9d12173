package hakmem.bench.workload;

import hakmem.bench.subject.Subject;

/**
 * One thread's Mixed table (the GUIDE's reference loop): {@code ws} slots, xorshift64* from a seed. One op:
 * {@code i = rng % ws}; free {@code slot[i]} if it holds a block (after checking its tag); allocate
 * {@code 16 + rng % 1009} bytes; tag its first and last byte; store it in {@code slot[i]}.
 * Used by the mixed workload, by soak and by the JMH benchmarks.
 */
public final class MixedTable {
    private final Subject subject;
    private final long[] handles;
    private final int[] sizes;
    private final long seed;
    private long state;
    private long ops;
    private long checks;

    public MixedTable(Subject subject, int ws, long seed) {
        this.subject = subject;
        this.handles = new long[ws];
        this.sizes = new int[ws];
        this.seed = seed;
        this.state = seed;
    }

    /** Runs {@code n} ops. Allocation-free; the only calls are to the subject and to the tag check. */
    public void run(long n) {
        final Subject s = subject;
        final long[] hs = handles;
        final int[] ss = sizes;
        final long ws = hs.length;
        long x = state;
        long verified = 0;
        for (long k = 0; k < n; k++) {
            x ^= x >>> 12;
            x ^= x << 25;
            x ^= x >>> 27;
            int i = (int) Long.remainderUnsigned(x * Rng.MULTIPLIER, ws);
            long h = hs[i];
            if (h != 0) {
                int size = ss[i];
                long a = s.address(h);
                if (!Mem.intact(a, size, i)) {
                    throw Mem.corrupted("mixed", a, size, i);
                }
                verified++;
                s.free(h);
            }
            x ^= x >>> 12;
            x ^= x << 25;
            x ^= x >>> 27;
            long size = 16 + Long.remainderUnsigned(x * Rng.MULTIPLIER, 1009);
            long nh = s.malloc(size);
            if (nh == 0) {
                throw Mem.nullBlock("mixed", size);
            }
            Mem.stamp(s.address(nh), size, i);
            hs[i] = nh;
            ss[i] = (int) size;
        }
        state = x;
        ops += n;
        checks += verified;
    }

    /** Ops per call of {@link #run} in {@link #runInChunks}. */
    public static final long CHUNK = 1 << 16;

    /**
     * Runs {@code n} ops as calls of {@link #CHUNK} ops (the same op sequence as one call): the loop method is
     * then invoked often enough during a warm-up to be fully compiled, not only on-stack-replaced.
     */
    public void runInChunks(long n) {
        for (long done = 0; done < n; done += CHUNK) {
            run(Math.min(CHUNK, n - done));
        }
    }

    /** Checks and frees every block still in the table. */
    public void freeAll() {
        for (int i = 0; i < handles.length; i++) {
            long h = handles[i];
            if (h != 0) {
                long a = subject.address(h);
                if (!Mem.intact(a, sizes[i], i)) {
                    throw Mem.corrupted("mixed", a, sizes[i], i);
                }
                checks++;
                subject.free(h);
                handles[i] = 0;
            }
        }
    }

    /** The generator's state now. */
    public long state() {
        return state;
    }

    /** The state the generator must be in after the ops run so far (two draws per op). */
    public long expectedState() {
        return Rng.advance(seed, 2 * ops);
    }

    public long ops() {
        return ops;
    }

    public long checks() {
        return checks;
    }

    /** Throws if the generator is not where the op count says: the loop skipped or repeated work. */
    public void verifyState(String workload) {
        long expected = expectedState();
        if (state != expected) {
            throw new CheckFailure(String.format("%s: generator state 0x%016x after %d ops, expected 0x%016x",
                    workload, state, ops, expected));
        }
    }
}
