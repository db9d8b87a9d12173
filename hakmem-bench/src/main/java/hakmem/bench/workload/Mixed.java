package hakmem.bench.workload;

import hakmem.bench.subject.Subject;
import java.util.Map;

/**
 * Mixed WS=400, the GUIDE's reference workload: per thread a table of {@code ws} slots, {@code warmup} ops,
 * then {@code ops} timed ops on the same table and generator, then free all. With the defaults (2M + 20M ops)
 * thread 0's generator ends in {@link Rng#MIXED_REFERENCE_FINAL}.
 */
public final class Mixed extends Workload {
    private static final long CHUNK = MixedTable.CHUNK;

    @Override
    public String id() {
        return "mixed";
    }

    @Override
    public String description() {
        return "Mixed WS=400 (GUIDE definition): free a random slot, allocate 16..1024 B in it; 2M warm-up + 20M timed ops per thread";
    }

    @Override
    public Params defaults(boolean quick) {
        return quick ? Params.builder().ops(1_000_000).warmup(200_000).ws(400).build()
                : Params.builder().ops(20_000_000).warmup(2_000_000).ws(400).build();
    }

    @Override
    public int maxLive(Params p) {
        return p.ws() * p.threads();
    }

    @Override
    public boolean crossThreadFrees(Params p) {
        return false;
    }

    @Override
    public Outcome run(Subject subject, Params p, Meter meter) throws InterruptedException {
        int n = p.threads();
        MixedTable[] tables = new MixedTable[n];
        Workers w = new Workers(n, new Runnable() {
            private boolean started;

            @Override
            public void run() {
                meter.mark(started ? Meter.TIMED_END : Meter.TIMED_START);
                started = true;
            }
        });
        w.run(subject, "mixed", n, t -> {
            MixedTable table = new MixedTable(subject, p.ws(), Rng.seed(t));
            tables[t] = table;
            table.runInChunks(p.warmup());
            w.await();
            for (long done = 0; done < p.ops(); done += CHUNK) {
                table.run(Math.min(CHUNK, p.ops() - done));
                if (t == 0 && (done & ((16 * CHUNK) - 1)) == 0) {
                    meter.progress((double) (done + CHUNK) / p.ops());
                }
            }
            w.await();
            table.verifyState("mixed");
            table.freeAll();
        });
        long checks = 0;
        for (MixedTable t : tables) {
            checks += t.checks();
        }
        return new Outcome(p.ops() * n, 0, checks, true, tables[0].state(), tables[0].expectedState(),
                Map.of("ws", p.ws(), "threads", n));
    }
}
