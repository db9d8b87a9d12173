package hakmem.bench.workload;

import hakmem.bench.subject.Subject;
import java.util.Map;

/**
 * Larson-style server churn: each thread keeps a table of {@code ws} blocks (1000 by default) of 8..1000 B,
 * replaces a random one per op, and every {@value #ROUND} ops hands a quarter of its table to the next thread
 * (through a one-slot mailbox) and adopts what the previous thread handed it; adopted blocks are freed later
 * by their new owner, so about one free in eight crosses threads. Tags are checked at every free.
 */
public final class Larson extends Workload {
    static final int ROUND = 2000;

    /** A one-slot mailbox between two threads: filled by one, emptied by the other, {@link #full} publishes. */
    private static final class Mailbox {
        final long[] handles;
        final int[] sizes;
        int count;
        volatile boolean full;

        Mailbox(int n) {
            handles = new long[n];
            sizes = new int[n];
        }
    }

    @Override
    public String id() {
        return "larson";
    }

    @Override
    public String description() {
        return "Larson-style: threads replace random 8..1000 B blocks and hand a quarter of their table to the next thread each round";
    }

    @Override
    public Params defaults(boolean quick) {
        return quick ? Params.builder().ops(500_000).warmup(100_000).threads(2).ws(1000).build()
                : Params.builder().ops(2_000_000).warmup(200_000).threads(2).ws(1000).build();
    }

    @Override
    public int maxLive(Params p) {
        return p.threads() * (p.ws() + share(p) + 1);
    }

    @Override
    public boolean crossThreadFrees(Params p) {
        return p.threads() > 1;
    }

    static int share(Params p) {
        return Math.max(1, p.ws() / 4);
    }

    @Override
    public Outcome run(Subject subject, Params p, Meter meter) throws InterruptedException {
        int n = p.threads();
        int share = share(p);
        Mailbox[] boxes = new Mailbox[n];
        for (int i = 0; i < n; i++) {
            boxes[i] = new Mailbox(share);
        }
        long[] finals = new long[n];
        long[] checks = new long[n];
        long[] handed = new long[n];
        Workers w = new Workers(n, new Runnable() {
            private boolean started;

            @Override
            public void run() {
                meter.mark(started ? Meter.TIMED_END : Meter.TIMED_START);
                started = true;
            }
        });
        w.run(subject, "larson", n, t -> {
            long[] hs = new long[p.ws()];
            int[] ss = new int[p.ws()];
            long seed = Rng.seed(t);
            long x = seed;
            long verified = 0;
            Mailbox out = boxes[(t + 1) % n];
            Mailbox in = boxes[t];
            long[] phases = {p.warmup(), p.ops()};
            for (long ops : phases) {
                for (long k = 0; k < ops; k++) {
                    x = Rng.step(x);
                    int i = (int) Long.remainderUnsigned(Rng.output(x), hs.length);
                    long h = hs[i];
                    if (h != 0) {
                        long a = subject.address(h);
                        if (!Mem.intact(a, ss[i], 0)) {
                            throw Mem.corrupted("larson", a, ss[i], 0);
                        }
                        verified++;
                        subject.free(h);
                    }
                    x = Rng.step(x);
                    long size = 8 + Long.remainderUnsigned(Rng.output(x), 993);
                    long nh = subject.malloc(size);
                    if (nh == 0) {
                        throw Mem.nullBlock("larson", size);
                    }
                    Mem.stamp(subject.address(nh), size, 0);
                    hs[i] = nh;
                    ss[i] = (int) size;
                    if (k % ROUND == ROUND - 1) {
                        if (!out.full) {
                            int c = 0;
                            for (int j = 0; j < share; j++) {
                                if (hs[j] != 0) {
                                    out.handles[c] = hs[j];
                                    out.sizes[c++] = ss[j];
                                    hs[j] = 0;
                                }
                            }
                            out.count = c;
                            handed[t] += c;
                            out.full = true;
                        }
                        if (in.full) {
                            for (int j = 0; j < in.count; j++) {
                                if (hs[j] != 0) {
                                    long a = subject.address(hs[j]);
                                    if (!Mem.intact(a, ss[j], 0)) {
                                        throw Mem.corrupted("larson", a, ss[j], 0);
                                    }
                                    verified++;
                                    subject.free(hs[j]);
                                }
                                hs[j] = in.handles[j];
                                ss[j] = in.sizes[j];
                            }
                            in.full = false;
                        }
                        if (t == 0 && (k & 0xFFFFF) == 0xFFFFF) {
                            meter.progress((double) k / p.ops());
                        }
                    }
                }
                w.await();
            }
            for (int i = 0; i < hs.length; i++) {
                if (hs[i] != 0) {
                    long a = subject.address(hs[i]);
                    if (!Mem.intact(a, ss[i], 0)) {
                        throw Mem.corrupted("larson", a, ss[i], 0);
                    }
                    verified++;
                    subject.free(hs[i]);
                }
            }
            finals[t] = x;
            checks[t] = verified;
            long expected = Rng.advance(seed, 2 * (p.warmup() + p.ops()));
            if (x != expected) {
                throw new CheckFailure(String.format("larson: thread %d generator state 0x%016x, expected 0x%016x", t, x, expected));
            }
        });
        long total = 0;
        for (Mailbox b : boxes) {
            if (b.full) {
                for (int j = 0; j < b.count; j++) {
                    long a = subject.address(b.handles[j]);
                    if (!Mem.intact(a, b.sizes[j], 0)) {
                        throw Mem.corrupted("larson", a, b.sizes[j], 0);
                    }
                    total++;
                    subject.free(b.handles[j]);
                }
                b.full = false;
            }
        }
        long handedTotal = 0;
        for (int t = 0; t < n; t++) {
            total += checks[t];
            handedTotal += handed[t];
        }
        return new Outcome(p.ops() * n, 0, total, true, finals[0], Rng.advance(Rng.seed(0), 2 * (p.warmup() + p.ops())),
                Map.of("threads", n, "slots", p.ws(), "share", share, "round", ROUND, "blocksHanded", handedTotal));
    }
}
