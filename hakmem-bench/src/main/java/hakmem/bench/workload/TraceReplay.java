package hakmem.bench.workload;

import hakmem.bench.sim.SimClock;
import hakmem.bench.subject.Subject;
import hakmem.bench.trace.Trace;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Replays a recorded allocation trace ({@code trace:FILE}): one replaying thread per recorded thread (made by the
 * subject), each doing its thread's calls in recorded order; a free of a block another thread allocated stays a
 * cross-thread free (it waits until that thread has allocated the block). Every block is stamped at allocation and
 * checked at its free. Calls map onto the subject as malloc (calloc: {@code count * size}, allocate: its size, a
 * larger alignment is not replayed) and free; a realloc is malloc new, check old, free old. Blocks the program never
 * freed are freed after the timed window.
 *
 * <p>Marks {@code trace-10%} .. {@code trace-90%} when the first recorded thread has done that share of its calls.
 *
 * <p>Real OS: threads run freely; with {@link TimeMode#REAL} (or a scale) an event waits for its recorded time
 * (idle time, not counted in ops/s). Simulated OS (the subject has a {@link SimClock}): the calls run one at a time in
 * recorded order (a baton passed between the replaying threads; a thread that did its last call has ended before the
 * next call runs), the virtual clock moves to each event's recorded time, then by the configured cost of the call,
 * so the run is the same on every machine.
 */
public final class TraceReplay extends Workload {
    private static final VarHandle HANDLES = MethodHandles.arrayElementVarHandle(long[].class);
    private static final long FREED = -1;

    private final Path file;
    private final TimeMode time;
    private final long opNanos;
    private Trace trace;

    /** @param opNanos the virtual cost of one call on the simulated OS (ignored on the real one) */
    public TraceReplay(Path file, TimeMode time, long opNanos) {
        this.file = file;
        this.time = time;
        this.opNanos = opNanos;
    }

    /** The trace, read and checked once. */
    public Trace trace() {
        if (trace == null) {
            trace = Trace.load(file);
        }
        return trace;
    }

    @Override
    public String id() {
        return "trace:" + file;
    }

    @Override
    public String description() {
        return "replays a recorded allocation trace (record one with -Dhakmem.trace=FILE), one thread per recorded thread";
    }

    @Override
    public Params defaults(boolean quick) {
        return Params.builder().ops(1).warmup(0).build(); // the trace decides
    }

    @Override
    public int maxLive(Params p) {
        return trace().maxLive() + 1;
    }

    @Override
    public boolean crossThreadFrees(Params p) {
        return trace().crossThreadFrees() > 0;
    }

    @Override
    public Outcome run(Subject subject, Params p, Meter meter) throws InterruptedException {
        Trace tr = trace();
        int threads = tr.threads().size();
        long[] handles = new long[tr.blocks()];
        SimClock sim = subject.simClock();
        Baton baton = sim != null ? new Baton(tr, threads) : null;
        long[] origin = new long[1];
        long[] idle = new long[threads];
        long[] checks = new long[threads];
        AtomicLong done = new AtomicLong();
        Workers w = new Workers(Math.max(1, threads), () -> {
            meter.mark(Meter.TIMED_START);
            origin[0] = sim != null ? sim.nanoTime() : System.nanoTime();
        });
        w.run(subject, "replay", Math.max(1, threads), t -> {
            if (baton != null) {
                baton.threads[t] = Thread.currentThread();
            }
            w.await();
            if (t >= threads) {
                return;
            }
            Trace.Thread rec = tr.threads().get(t);
            int decile = 1;
            for (int j = 0; j < rec.length(); j++) {
                if (baton != null) {
                    baton.await(t, j, w);
                    idle[t] += sim.advanceTo(origin[0] + (time.compress() ? 0 : time.at(rec.time()[j])));
                } else if (!time.compress()) {
                    idle[t] += waitUntil(origin[0] + time.at(rec.time()[j]), w);
                }
                if (t == 0 && j == (int) ((long) rec.length() * decile / 10)) { // thread 0's progress: resident at its deciles
                    meter.mark("trace-" + decile * 10 + "%"); // (simulated: holding the baton, so at the same point every run)
                    decile++;
                }
                checks[t] += step(subject, tr, rec, j, handles, w);
                if (baton != null) {
                    sim.advance(opNanos);
                    baton.pass(j == rec.length() - 1);
                }
                if ((done.incrementAndGet() & 0xFFFF) == 0) {
                    meter.progress((double) done.get() / tr.events());
                }
            }
        });
        meter.mark(Meter.TIMED_END);
        long leftover = 0;
        for (int id = 0; id < handles.length; id++) {
            long h = handles[id];
            if (h != 0 && h != FREED) {
                verify(subject, h, tr, id);
                subject.free(h);
                leftover++;
            }
        }
        long allChecks = leftover;
        for (long c : checks) {
            allChecks += c;
        }
        // idle: with one thread (or the baton) exact; with several free-running threads the least any thread idled
        long idleNanos = sim != null ? sum(idle) : min(idle);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("trace", file.toString());
        extra.put("events", tr.events());
        extra.put("threads", threads);
        extra.put("blocks", tr.blocks());
        extra.put("crossThreadFrees", tr.crossThreadFrees());
        extra.put("recordedSeconds", tr.durationNanos() / 1e9);
        extra.put("time", time.text());
        extra.put("freedAfterEnd", leftover);
        return new Outcome(tr.events(), idleNanos, allChecks, true, 0, 0, tr.liveEndBytes(), tr.livePeakBytes(), extra);
    }

    /** One recorded call; returns the number of blocks checked (0 or 1). */
    private static int step(Subject subject, Trace tr, Trace.Thread rec, int j, long[] handles, Workers w) {
        byte kind = rec.kind()[j];
        int checked = 0;
        long oldHandle = 0;
        int oldId = rec.oldId()[j];
        if (oldId >= 0) {
            oldHandle = awaitHandle(handles, oldId, w);
        }
        if (kind != Trace.FREE) {
            int id = rec.newId()[j];
            long size = Math.max(1, rec.size()[j]);
            long h = subject.malloc(size);
            if (h == 0) {
                throw Mem.nullBlock("trace", size);
            }
            Mem.stamp(subject.address(h), size, id);
            HANDLES.setRelease(handles, id, h);
        }
        if (oldId >= 0) {
            verify(subject, oldHandle, tr, oldId);
            subject.free(oldHandle);
            handles[oldId] = FREED;
            checked = 1;
        }
        return checked;
    }

    private static void verify(Subject subject, long h, Trace tr, int id) {
        long size = Math.max(1, tr.sizeOf(id));
        long a = subject.address(h);
        if (!Mem.intact(a, size, id)) {
            throw Mem.corrupted("trace", a, size, id);
        }
    }

    /** Waits until another replaying thread has allocated block {@code id}. */
    private static long awaitHandle(long[] handles, int id, Workers w) {
        long h = (long) HANDLES.getAcquire(handles, id);
        int spins = 0;
        while (h == 0) {
            if (w.failed()) {
                throw new CheckFailure("another workload thread failed");
            }
            if (++spins < 100) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(10_000);
            }
            h = (long) HANDLES.getAcquire(handles, id);
        }
        if (h == FREED) {
            throw new CheckFailure("trace: block " + id + " freed twice by the replay (a bug of the replayer)");
        }
        return h;
    }

    /** Real time: waits until {@code deadline}; returns the nanoseconds waited. */
    private static long waitUntil(long deadline, Workers w) {
        long now = System.nanoTime();
        if (now >= deadline) {
            return 0;
        }
        long start = now;
        while (now < deadline) {
            if (w.failed()) {
                throw new CheckFailure("another workload thread failed");
            }
            long left = deadline - now;
            if (left > 50_000) {
                LockSupport.parkNanos(left - 20_000);
            } else {
                Thread.onSpinWait();
            }
            now = System.nanoTime();
        }
        return now - start;
    }

    private static long sum(long[] a) {
        long s = 0;
        for (long v : a) {
            s += v;
        }
        return s;
    }

    private static long min(long[] a) {
        long m = Long.MAX_VALUE;
        for (long v : a) {
            m = Math.min(m, v);
        }
        return a.length == 0 ? 0 : m;
    }

    /** The simulated replay's order: the thread holding the baton does the next call of the trace, then passes it on. */
    private static final class Baton {
        final long[] order;
        final int[][] position; // [thread][index] -> position in order
        final Thread[] threads;
        final AtomicLong turn = new AtomicLong();

        Baton(Trace tr, int n) {
            order = tr.order();
            position = new int[n][];
            for (int t = 0; t < n; t++) {
                position[t] = new int[tr.threads().get(t).length()];
            }
            for (int g = 0; g < order.length; g++) {
                position[(int) (order[g] >>> 32)][(int) order[g]] = g;
            }
            threads = new Thread[Math.max(1, n)];
        }

        /** A replaying thread that did its last call and is ending: the next holder waits until it has ended. */
        private volatile Thread ending;

        void await(int t, int j, Workers w) throws InterruptedException {
            long g = position[t][j];
            while (turn.get() != g) {
                if (w.failed()) {
                    throw new CheckFailure("another workload thread failed");
                }
                LockSupport.parkNanos(this, 1_000_000);
            }
            Thread e = ending;
            if (e != null) { // the core sees a thread end (its heap abandoned) at this point of the trace, on every run
                e.join();
                ending = null;
            }
        }

        void pass(boolean last) {
            if (last) {
                ending = Thread.currentThread();
            }
            long next = turn.incrementAndGet();
            if (next < order.length) {
                Thread owner = threads[(int) (order[(int) next] >>> 32)];
                if (owner != Thread.currentThread()) {
                    LockSupport.unpark(owner);
                }
            }
        }
    }
}
