package hakmem.bench.workload;

import hakmem.bench.subject.Subject;

/**
 * One thread's Mixed table (the GUIDE's reference loop): {@code ws} slots, xorshift64* from a seed. One op:
 * {@code i = rng % ws}; free {@code slot[i]} if it holds a block (after checking its tag); allocate
 * {@code min + rng % (max - min + 1)} bytes ({@link SizeRange}; Mixed's {@code 16 + rng % 1009} by default); tag its
 * first and last byte; store it in {@code slot[i]}. The table keeps the sum of the sizes it holds (live bytes) and
 * its peak, exactly, at the cost of an add and a compare per op. Used by the mixed, medium, large and burst workloads,
 * by soak and by the JMH benchmarks.
 */
public final class MixedTable {
    /** {@code SizeRange.MIXED.span()}, as a constant the JIT divides by. */
    static final long MIXED_SPAN = 1009;

    private final Subject subject;
    private final long[] handles;
    private final int[] sizes;
    private final long seed;
    private final long minSize;
    private final long span;
    private long state;
    private long ops;
    private long checks;
    private long live;
    private long livePeak;

    /** A table of Mixed's sizes, 16..1024 B. */
    public MixedTable(Subject subject, int ws, long seed) {
        this(subject, ws, seed, SizeRange.MIXED);
    }

    public MixedTable(Subject subject, int ws, long seed, SizeRange range) {
        this.subject = subject;
        this.handles = new long[ws];
        this.sizes = new int[ws];
        this.seed = seed;
        this.state = seed;
        this.minSize = range.min();
        this.span = range.span();
    }

    /** Runs {@code n} ops. Allocation-free; the only calls are to the subject and to the tag check. */
    public void run(long n) {
        final Subject s = subject;
        final long[] hs = handles;
        final int[] ss = sizes;
        final long ws = hs.length;
        final long min = minSize;
        final long sp = span;
        // Mixed's divisor as a constant in its own branch (always taken the same way, so free to predict): the JIT
        // then divides by the constant 1009 as before the size range became a parameter
        final boolean mixed = sp == MIXED_SPAN;
        long x = state;
        long verified = 0;
        long liveNow = live;
        long peak = livePeak;
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
            long draw = x * Rng.MULTIPLIER;
            long size = min + (mixed ? Long.remainderUnsigned(draw, MIXED_SPAN) : Long.remainderUnsigned(draw, sp));
            long nh = s.malloc(size);
            if (nh == 0) {
                throw Mem.nullBlock("mixed", size);
            }
            Mem.stamp(s.address(nh), size, i);
            liveNow += size - ss[i]; // ss[i] is 0 when the slot was empty
            if (liveNow > peak) {
                peak = liveNow;
            }
            hs[i] = nh;
            ss[i] = (int) size;
        }
        state = x;
        ops += n;
        checks += verified;
        live = liveNow;
        livePeak = peak;
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
                live -= sizes[i];
                sizes[i] = 0;
            }
        }
    }

    /** The sum of the sizes of the blocks the table holds now. */
    public long liveBytes() {
        return live;
    }

    /** The highest {@link #liveBytes} since the table was made. */
    public long livePeakBytes() {
        return livePeak;
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
