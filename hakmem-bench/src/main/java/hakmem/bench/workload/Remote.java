package hakmem.bench.workload;

import hakmem.bench.subject.Subject;
import java.util.Map;

/**
 * Remote: producer/consumer pairs; every free is cross-thread. The producer allocates 16..1024 B blocks, tags
 * them and passes them through a ring of 1024; the consumer runs a mirror of the producer's generator, so it
 * knows each block's size and checks its tag before freeing it (order and contents both checked).
 * {@code threads} must be even (odd counts are rounded up); one op = one block allocated and freed.
 */
public final class Remote extends Workload {
    static final int RING = 1024;

    @Override
    public String id() {
        return "remote";
    }

    @Override
    public String description() {
        return "producer/consumer pairs (2 threads by default): every block is freed by the other thread, contents checked";
    }

    @Override
    public Params defaults(boolean quick) {
        return quick ? Params.builder().ops(500_000).warmup(100_000).threads(2).ws(400).build()
                : Params.builder().ops(2_000_000).warmup(200_000).threads(2).ws(400).build();
    }

    static int pairs(Params p) {
        return Math.max(1, (p.threads() + 1) / 2);
    }

    @Override
    public int maxLive(Params p) {
        // the ring, plus a block the producer holds before offering it and one the consumer holds while freeing it
        return pairs(p) * (RING + 4);
    }

    @Override
    public boolean crossThreadFrees(Params p) {
        return true;
    }

    @Override
    public Outcome run(Subject subject, Params p, Meter meter) throws InterruptedException {
        int pairs = pairs(p);
        SpscQueue[] queues = new SpscQueue[pairs];
        for (int i = 0; i < pairs; i++) {
            queues[i] = new SpscQueue(RING);
        }
        long[] finals = new long[pairs * 2];
        long[] checks = new long[pairs];
        Workers w = new Workers(pairs * 2, new Runnable() {
            private boolean started;

            @Override
            public void run() {
                meter.mark(started ? Meter.TIMED_END : Meter.TIMED_START);
                started = true;
            }
        });
        w.run(subject, "remote", pairs * 2, t -> {
            int pair = t / 2;
            boolean producer = t % 2 == 0;
            SpscQueue q = queues[pair];
            long seed = Rng.seed(pair);
            long x = seed;
            long[] phases = {p.warmup(), p.ops()};
            for (long n : phases) {
                if (producer) {
                    x = produce(subject, q, x, n, w);
                } else {
                    x = consume(subject, q, x, n, w, pair == 0 ? meter : null, p.ops());
                    checks[pair] += n;
                }
                w.await();
            }
            finals[t] = x;
            long expected = Rng.advance(seed, p.warmup() + p.ops());
            if (x != expected) {
                throw new CheckFailure(String.format("remote: %s %d generator state 0x%016x, expected 0x%016x",
                        producer ? "producer" : "consumer", pair, x, expected));
            }
        });
        long expected0 = Rng.advance(Rng.seed(0), p.warmup() + p.ops());
        long total = 0;
        for (long c : checks) {
            total += c;
        }
        return new Outcome(p.ops() * pairs, 0, total, true, finals[0], expected0,
                Map.of("pairs", pairs, "ring", RING));
    }

    private static long produce(Subject s, SpscQueue q, long x, long n, Workers w) {
        for (long k = 0; k < n; k++) {
            x = Rng.step(x);
            long size = 16 + Long.remainderUnsigned(Rng.output(x), 1009);
            long h = s.malloc(size);
            if (h == 0) {
                throw Mem.nullBlock("remote", size);
            }
            Mem.stamp(s.address(h), size, 0);
            int spins = 0;
            while (!q.offer(h)) {
                spins = backoff(spins, w);
            }
        }
        return x;
    }

    private static long consume(Subject s, SpscQueue q, long x, long n, Workers w, Meter progress, long total) {
        for (long k = 0; k < n; k++) {
            x = Rng.step(x);
            long size = 16 + Long.remainderUnsigned(Rng.output(x), 1009);
            long h;
            int spins = 0;
            while ((h = q.poll()) == 0) {
                spins = backoff(spins, w);
            }
            long a = s.address(h);
            if (!Mem.intact(a, size, 0)) {
                throw Mem.corrupted("remote", a, size, 0);
            }
            s.free(h);
            if (progress != null && (k & 0xFFFFF) == 0xFFFFF) {
                progress.progress((double) k / total);
            }
        }
        return x;
    }

    /** Spin politely: on a 2-core machine the other side may need this core, so yield after a while. */
    static int backoff(int spins, Workers w) {
        if (spins < 100) {
            Thread.onSpinWait();
        } else {
            if (w.failed()) {
                throw new CheckFailure("another workload thread failed");
            }
            Thread.yield();
        }
        return spins + 1;
    }
}
