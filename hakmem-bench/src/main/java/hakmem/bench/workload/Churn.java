package hakmem.bench.workload;

import hakmem.bench.subject.Subject;
import java.util.Map;

/**
 * Thread churn: generations of {@code threads} short-lived threads. Each thread first frees (with checks) the
 * table a thread of the previous generation left behind (that thread has exited, its blocks are still live),
 * then runs {@value #OPS_PER_THREAD} Mixed ops on a fresh table and exits leaving that table live. Shows whether
 * an allocator adopts or leaks the heaps of dead threads. {@code ops} is the total of timed ops, so the number
 * of generations is {@code ops / (threads * OPS_PER_THREAD)}; warm-up generations run before timing.
 */
public final class Churn extends Workload {
    static final int OPS_PER_THREAD = 20_000;

    @Override
    public String id() {
        return "churn";
    }

    @Override
    public String description() {
        return "thread churn: threads start, run Mixed ops, exit with their blocks live; the next generation frees them";
    }

    @Override
    public Params defaults(boolean quick) {
        return quick ? Params.builder().ops(400_000).warmup(80_000).threads(2).ws(400).build()
                : Params.builder().ops(2_000_000).warmup(200_000).threads(2).ws(400).build();
    }

    @Override
    public int maxLive(Params p) {
        return 2 * p.threads() * p.ws();
    }

    @Override
    public boolean crossThreadFrees(Params p) {
        return true;
    }

    static long generations(long ops, int threads) {
        return Math.max(1, ops / ((long) threads * OPS_PER_THREAD));
    }

    @Override
    public Outcome run(Subject subject, Params p, Meter meter) throws InterruptedException {
        int n = p.threads();
        long warmGens = p.warmup() == 0 ? 0 : generations(p.warmup(), n);
        long gens = generations(p.ops(), n);
        MixedTable[] live = new MixedTable[n];
        long[] checks = new long[1];
        long first = 0;
        long firstExpected = 0;
        for (long g = 0; g < warmGens + gens; g++) {
            if (g == warmGens) {
                meter.mark(Meter.TIMED_START);
            }
            MixedTable[] inherited = live.clone();
            MixedTable[] born = new MixedTable[n];
            long gen = g;
            Workers w = new Workers(n, () -> { });
            w.run(subject, "churn-g" + g, n, t -> {
                MixedTable old = inherited[(t + 1) % n];
                if (old != null) {
                    old.freeAll();
                }
                MixedTable table = new MixedTable(subject, p.ws(), Rng.seed((int) (gen * n + t)));
                table.run(OPS_PER_THREAD);
                table.verifyState("churn");
                born[t] = table;
            });
            for (MixedTable old : inherited) {
                if (old != null) {
                    checks[0] += old.checks();
                }
            }
            live = born;
            if (g == 0) {
                first = born[0].state();
                firstExpected = born[0].expectedState();
            }
            if (g == warmGens) {
                meter.mark("first-generation");
            }
            meter.progress((double) (g + 1) / (warmGens + gens));
        }
        meter.mark(Meter.TIMED_END);
        for (MixedTable t : live) {
            t.freeAll();
            checks[0] += t.checks();
        }
        return new Outcome(gens * n * OPS_PER_THREAD, 0, checks[0], true, first, firstExpected,
                Map.of("threads", n, "generations", gens, "warmupGenerations", warmGens, "opsPerThread", OPS_PER_THREAD,
                        "threadsStarted", (warmGens + gens) * n));
    }
}
