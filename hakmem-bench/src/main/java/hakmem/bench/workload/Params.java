package hakmem.bench.workload;

/**
 * A workload's counts, resolved from the command line and the workload's defaults.
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

    public Params withOps(long v) {
        return new Params(v, warmup, threads, ws, burstMb, idleMs, cycles);
    }

    public Params withWarmup(long v) {
        return new Params(ops, v, threads, ws, burstMb, idleMs, cycles);
    }

    public Params withThreads(int v) {
        return new Params(ops, warmup, v, ws, burstMb, idleMs, cycles);
    }

    public Params withWs(int v) {
        return new Params(ops, warmup, threads, v, burstMb, idleMs, cycles);
    }

    public Params withBurst(int mb, int idle, int n) {
        return new Params(ops, warmup, threads, ws, mb, idle, n);
    }
}
