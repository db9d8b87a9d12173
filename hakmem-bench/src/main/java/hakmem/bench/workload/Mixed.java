package hakmem.bench.workload;

import hakmem.bench.subject.Subject;
import java.util.Map;

/**
 * The Mixed loop of the GUIDE (section 2): per thread a table of {@code ws} slots, {@code warmup} ops, then
 * {@code ops} timed ops on the same table and generator, then free all; one op frees a random slot and allocates a
 * block of a size from the workload's {@link SizeRange} in it. Three workloads share it, differing only in slots,
 * sizes and counts: {@link #mixed()} (Mixed WS=400: 16..1024 B, 2M + 20M ops; thread 0's generator ends in
 * {@link Rng#MIXED_REFERENCE_FINAL}), {@link #medium()} (100 slots, 1 KiB..256 KiB, 200k + 2M ops) and
 * {@link #large()} (20 slots, 256 KiB..8 MiB, 20k + 200k ops). Each reports the live bytes (the sum of the sizes
 * held) at the end of the timed loop and their peak over the run.
 */
public final class Mixed extends Workload {
    private static final long CHUNK = MixedTable.CHUNK;

    private final String id;
    private final String description;
    private final SizeRange sizes;
    private final int ws;
    private final long ops;
    private final long warmup;

    private Mixed(String id, String description, SizeRange sizes, int ws, long ops, long warmup) {
        this.id = id;
        this.description = description;
        this.sizes = sizes;
        this.ws = ws;
        this.ops = ops;
        this.warmup = warmup;
    }

    /** Mixed WS=400, the seed's workload. */
    public static Mixed mixed() {
        return new Mixed("mixed", "Mixed WS=400 (GUIDE definition): free a random slot, allocate 16..1024 B in it; "
                + "2M warm-up + 20M timed ops per thread", SizeRange.MIXED, 400, 20_000_000, 2_000_000);
    }

    /** medium: I/O-buffer sizes. */
    public static Mixed medium() {
        return new Mixed("medium", "the Mixed loop with 100 slots of 1 KiB..256 KiB (GUIDE definition, live ~13 MB); "
                + "200k warm-up + 2M timed ops per thread", SizeRange.MEDIUM, 100, 2_000_000, 200_000);
    }

    /** large: batches of MiBs. */
    public static Mixed large() {
        return new Mixed("large", "the Mixed loop with 20 slots of 256 KiB..8 MiB (GUIDE definition, live ~82 MB); "
                + "20k warm-up + 200k timed ops per thread", SizeRange.LARGE, 20, 200_000, 20_000);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String description() {
        return description;
    }

    /** The block sizes of this workload. */
    public SizeRange sizes() {
        return sizes;
    }

    /** Full counts, or for {@code --quick} a twentieth of the timed ops and a tenth of the warm-up (as for Mixed). */
    @Override
    public Params defaults(boolean quick) {
        return quick ? Params.builder().ops(ops / 20).warmup(warmup / 10).ws(ws).build()
                : Params.builder().ops(ops).warmup(warmup).ws(ws).build();
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
        long[] liveEnd = new long[n];
        Workers w = new Workers(n, new Runnable() {
            private boolean started;

            @Override
            public void run() {
                meter.mark(started ? Meter.TIMED_END : Meter.TIMED_START);
                started = true;
            }
        });
        w.run(subject, id, n, t -> {
            MixedTable table = new MixedTable(subject, p.ws(), Rng.seed(t), sizes);
            tables[t] = table;
            table.runInChunks(p.warmup());
            w.await();
            for (long done = 0; done < p.ops(); done += CHUNK) {
                table.run(Math.min(CHUNK, p.ops() - done));
                if (t == 0 && (done & ((16 * CHUNK) - 1)) == 0) {
                    meter.progress((double) (done + CHUNK) / p.ops());
                }
            }
            liveEnd[t] = table.liveBytes();
            w.await();
            table.verifyState(id);
            table.freeAll();
        });
        long checks = 0;
        long live = 0;
        long peak = 0;
        for (int t = 0; t < n; t++) {
            checks += tables[t].checks();
            live += liveEnd[t];
            peak += tables[t].livePeakBytes(); // one table exact; several: the sum of their peaks, an upper bound
        }
        return new Outcome(p.ops() * n, 0, checks, true, tables[0].state(), tables[0].expectedState(), live, peak,
                Map.of("ws", p.ws(), "threads", n, "sizes", sizes.toString()));
    }
}
