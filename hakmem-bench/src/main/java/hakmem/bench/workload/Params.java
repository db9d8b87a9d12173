package hakmem.bench.workload;

/**
 * A workload's counts, resolved from the command line and the workload's defaults. Built by name
 * ({@link #builder()}, {@link #toBuilder()}, the {@code with} methods), never by position.
 *
 * @param ops     timed operations per thread (mixed, larson), pairs per producer (remote), total ops (churn, burst)
 * @param warmup  operations before timing starts, per thread
 * @param threads worker threads
 * @param ws      working set: slots per table
 * @param burstMb burst: bytes requested at the top of a burst, in MiB
 * @param idleMs  burst: how long to idle after each burst
 * @param cycles  burst: bursts per run
 */
public record Params(long ops, long warmup, int threads, int ws, int burstMb, int idleMs, int cycles) {
    public Params {
        if (ops < 1 || warmup < 0 || threads < 1 || ws < 1 || burstMb < 1 || idleMs < 0 || cycles < 1) {
            throw new IllegalArgumentException("invalid workload counts: " + this);
        }
    }

    /** A builder with one thread, 400 slots and one burst of 1 MiB without idle; ops and warm-up must be set. */
    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().ops(ops).warmup(warmup).threads(threads).ws(ws).burstMb(burstMb).idleMs(idleMs).cycles(cycles);
    }

    public Params withOps(long v) {
        return toBuilder().ops(v).build();
    }

    public Params withWarmup(long v) {
        return toBuilder().warmup(v).build();
    }

    public Params withThreads(int v) {
        return toBuilder().threads(v).build();
    }

    public Params withWs(int v) {
        return toBuilder().ws(v).build();
    }

    /** Builds {@link Params} by name; {@link #build} checks the values. */
    public static final class Builder {
        private long ops;
        private long warmup;
        private int threads = 1;
        private int ws = 400;
        private int burstMb = 1;
        private int idleMs;
        private int cycles = 1;

        private Builder() {
        }

        public Builder ops(long v) {
            ops = v;
            return this;
        }

        public Builder warmup(long v) {
            warmup = v;
            return this;
        }

        public Builder threads(int v) {
            threads = v;
            return this;
        }

        public Builder ws(int v) {
            ws = v;
            return this;
        }

        public Builder burstMb(int v) {
            burstMb = v;
            return this;
        }

        public Builder idleMs(int v) {
            idleMs = v;
            return this;
        }

        public Builder cycles(int v) {
            cycles = v;
            return this;
        }

        public Params build() {
            return new Params(ops, warmup, threads, ws, burstMb, idleMs, cycles);
        }
    }
}
