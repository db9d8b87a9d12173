package hakmem.bench.workload;

import hakmem.bench.subject.Subject;
import java.util.Map;

/**
 * Burst: Mixed WS=400 in steady state, then a burst that allocates {@code burstMb} MiB of 16..1024 B blocks on
 * top of it, frees them all (back to the 400 live blocks) and idles {@code idleMs}; repeated {@code cycles}
 * times. The resident memory sampled over time shows whether a policy gives memory back. Marks per cycle:
 * {@code pre-burst}, {@code burst-peak}, {@code burst-freed}, {@code idle-end}. One thread.
 */
public final class Burst extends Workload {
    static final long BURST_SEED = 0xB5297A4D3F84D5B5L;

    @Override
    public String id() {
        return "burst";
    }

    @Override
    public String description() {
        return "steady Mixed WS=400, then a burst to many MiB (64 by default), free back to 400 and idle; resident sampled over time";
    }

    @Override
    public Params defaults(boolean quick) {
        return quick
                ? Params.builder().ops(400_000).warmup(100_000).ws(400).burstMb(16).idleMs(300).cycles(1).build()
                : Params.builder().ops(4_000_000).warmup(1_000_000).ws(400).burstMb(64).idleMs(2000).cycles(2).build();
    }

    @Override
    public int maxLive(Params p) {
        return p.ws() + burstBlocks(p.burstMb());
    }

    @Override
    public boolean crossThreadFrees(Params p) {
        return false;
    }

    /** How many blocks one burst allocates: sizes come from a fixed generator until the MiB are reached. */
    static int burstBlocks(int mb) {
        long target = (long) mb << 20;
        long x = BURST_SEED;
        long sum = 0;
        int n = 0;
        while (sum < target) {
            x = Rng.step(x);
            sum += 16 + Long.remainderUnsigned(Rng.output(x), 1009);
            n++;
        }
        return n;
    }

    @Override
    public Outcome run(Subject subject, Params p, Meter meter) throws InterruptedException {
        int blocks = burstBlocks(p.burstMb());
        long[] handles = new long[blocks];
        int[] sizes = new int[blocks];
        long[] idle = new long[1];
        long[] burstOps = new long[1];
        long[] live = new long[2]; // at timed-end; the peak of the steady table plus a burst
        MixedTable[] table = new MixedTable[1];
        Workers w = new Workers(1, () -> { });
        w.run(subject, "burst", 1, t -> {
            MixedTable mixed = new MixedTable(subject, p.ws(), Rng.SEED);
            table[0] = mixed;
            mixed.runInChunks(p.warmup());
            meter.mark(Meter.TIMED_START);
            long steady = p.ops() / p.cycles();
            long x = BURST_SEED;
            for (int c = 0; c < p.cycles(); c++) {
                mixed.runInChunks(steady);
                meter.mark("pre-burst");
                x = BURST_SEED;
                long burstBytes = 0;
                for (int i = 0; i < blocks; i++) {
                    x = Rng.step(x);
                    long size = 16 + Long.remainderUnsigned(Rng.output(x), 1009);
                    long h = subject.malloc(size);
                    if (h == 0) {
                        throw Mem.nullBlock("burst", size);
                    }
                    Mem.stamp(subject.address(h), size, i);
                    handles[i] = h;
                    sizes[i] = (int) size;
                    burstBytes += size;
                }
                live[1] = Math.max(live[1], mixed.liveBytes() + burstBytes);
                meter.mark("burst-peak");
                for (int i = 0; i < blocks; i++) {
                    long a = subject.address(handles[i]);
                    if (!Mem.intact(a, sizes[i], i)) {
                        throw Mem.corrupted("burst", a, sizes[i], i);
                    }
                    subject.free(handles[i]);
                    handles[i] = 0;
                }
                burstOps[0] += blocks;
                meter.mark("burst-freed");
                long start = System.nanoTime();
                long until = start + p.idleMs() * 1_000_000L;
                while (System.nanoTime() < until) {
                    Thread.sleep(Math.max(1, Math.min(10, (until - System.nanoTime()) / 1_000_000)));
                }
                idle[0] += System.nanoTime() - start;
                meter.mark("idle-end");
                meter.progress((c + 1.0) / p.cycles());
            }
            meter.mark(Meter.TIMED_END);
            live[0] = mixed.liveBytes();
            live[1] = Math.max(live[1], mixed.livePeakBytes());
            mixed.verifyState("burst");
            mixed.freeAll();
        });
        MixedTable m = table[0];
        return new Outcome(m.ops() - p.warmup() + burstOps[0], idle[0], m.checks() + burstOps[0], true, m.state(),
                m.expectedState(), live[0], live[1], Map.of("burstBlocks", blocks, "burstMb", p.burstMb(), "idleMs", p.idleMs(),
                        "cycles", p.cycles()));
    }
}
