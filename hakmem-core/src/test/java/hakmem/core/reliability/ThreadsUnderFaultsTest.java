package hakmem.core.reliability;

import static hakmem.core.reliability.Reliability.KiB;
import static hakmem.core.reliability.Reliability.MiB;

import hakmem.api.Allocator;
import hakmem.api.AllocatorStats;
import hakmem.core.alloc.HakmemAllocator;
import hakmem.core.reliability.AuditingOsBox.Op;
import hakmem.core.reliability.LiveSet.Block;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * OOM everywhere, with 4 threads (platform threads, each with a heap of its own; or virtual threads, which share pooled
 * heaps): each runs a random stream of malloc / calloc / realloc / free / allocate(size,
 * alignment), sizes from 1 byte to 4 MiB, and hands blocks to the others through a shared queue (cross-thread
 * frees), while ENOMEM is injected at random mmap calls (armed by the main thread between phases and by the
 * workers themselves mid-phase) and madvise errors disable decommit. An allocation that throws OutOfMemoryError
 * must be one whose own mmap the box refused, name the request and ENOMEM, and leave the thread's blocks intact.
 *
 * <p>Every {@code ops} operations per thread all four pause at a barrier; the main thread then checks what
 * {@link FaultModel#check} checks in the model check (stats, usableSize, the contents of every live block of every
 * thread, stats against the OS box, madvise discipline, the invariant audit), arms the next faults and lets them go
 * on. At the end the workers end, the main thread heals the box and frees every block left (frees into the heaps of
 * ended threads), and then: the audit holds, no large mapping is left, at most one slab per class stays in use (per
 * pooled heap, with virtual threads),
 * mapped bytes match the box; after close nothing is mapped and {@code munmap_bytes == mmap_bytes}.
 *
 * <p>Knobs: {@code -Dhakmem.reliability.threads.phases=N} (default 10), {@code -Dhakmem.reliability.threads.ops=N}
 * (operations per thread per phase, default 250), {@code -Dhakmem.reliability.threads.seed=N} (default: fixed per
 * configuration; printed on failure). Each thread's operation stream is a function of the seed; the interleaving
 * is not.
 */
class ThreadsUnderFaultsTest {

    static final int THREADS = 4;
    static final int PHASES = Reliability.knob("threads.phases", 10);
    static final int OPS = Reliability.knob("threads.ops", 250);
    /** Live bytes one thread may hold before it frees its oldest blocks. */
    static final long LIVE_CAP = 12 * MiB;

    private static final AtomicLong RUNS = new AtomicLong();
    private static final AtomicLong OPERATIONS = new AtomicLong();
    private static final AtomicLong CROSS_FREES = new AtomicLong();
    private static final AtomicLong OOMS = new AtomicLong();
    private static final AtomicLong MMAP_FAULTS = new AtomicLong();
    private static final AtomicLong MADVISE_FAULTS = new AtomicLong();
    private static final AtomicLong FAULTS_ARMED = new AtomicLong();
    private static final AtomicLong AUDITS = new AtomicLong();
    private static final AtomicLong DECOMMITS = new AtomicLong();

    static Stream<Arguments> configurations() {
        List<Arguments> out = new ArrayList<>();
        for (String p : Reliability.policies()) {
            out.add(Arguments.of(p, p, Map.of(), false));
            // virtual threads allocate from pooled heaps and free into them as their lock's holder
            out.add(Arguments.of(p + "(virtual threads)", p, Map.of(), true));
            if (p.equals("lean")) {
                out.add(Arguments.of("lean(eager)", p, Reliability.EAGER_DECOMMIT, false));
                out.add(Arguments.of("lean(delayed)", p, AuditUnderTickerTest.LEAN_DELAYED, false));
            }
        }
        return out.stream();
    }

    @AfterAll
    static void figures() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("runs", RUNS.get());
        f.put("threads", THREADS);
        f.put("phases", PHASES);
        f.put("ops_per_thread_per_phase", OPS);
        f.put("operations", OPERATIONS.get());
        f.put("cross_thread_frees", CROSS_FREES.get());
        f.put("faults_armed", FAULTS_ARMED.get());
        f.put("mmap_faults_injected", MMAP_FAULTS.get());
        f.put("madvise_faults_injected", MADVISE_FAULTS.get());
        f.put("out_of_memory_errors_checked", OOMS.get());
        f.put("audits", AUDITS.get());
        f.put("slabs_decommitted", DECOMMITS.get());
        Reliability.recordFigures("ThreadsUnderFaultsTest", f);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configurations")
    void fourThreadsUnderFaults(String name, String policy, Map<String, String> options, boolean virtual) throws Exception {
        long seed = Long.getLong("hakmem.reliability.threads.seed", 0x0E0E_0000L + name.hashCode());
        try {
            run(policy, options, seed, virtual);
        } catch (Throwable t) {
            throw new AssertionError(name + " failed with seed " + seed + " (-Dhakmem.reliability.threads.seed=" + seed
                    + "): " + t, t);
        }
    }

    private static void run(String policy, Map<String, String> options, long seed, boolean virtual) throws Exception {
        RUNS.incrementAndGet();
        AuditingOsBox box = new AuditingOsBox();
        CheckedAllocator ca = new CheckedAllocator(policy, options, box);
        FaultModel model = new FaultModel(ca);
        SplittableRandom mainRandom = new SplittableRandom(seed);
        ConcurrentLinkedQueue<Block> handoff = new ConcurrentLinkedQueue<>();
        CyclicBarrier pause = new CyclicBarrier(THREADS + 1);
        CyclicBarrier resume = new CyclicBarrier(THREADS + 1);
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        Worker[] workers = new Worker[THREADS];
        Thread[] threads = new Thread[THREADS];
        try {
            for (int t = 0; t < THREADS; t++) {
                workers[t] = new Worker(t, ca, box, handoff, new SplittableRandom(seed * 31 + t + 1));
                Worker w = workers[t];
                Thread.Builder builder = virtual ? Thread.ofVirtual() : Thread.ofPlatform();
                threads[t] = builder.name("faults-" + t).start(() -> w.loop(pause, resume, errors));
            }
            armFaults(model, mainRandom);
            for (int phase = 0; phase < PHASES; phase++) {
                pause.await(); // every worker has done its OPS operations and waits
                if (!errors.isEmpty()) {
                    stopWorkers(workers, resume);
                    throw failure("phase " + phase, errors);
                }
                model.check("after phase " + phase);
                if (phase == PHASES - 1) {
                    stopWorkers(workers, resume);
                } else {
                    armFaults(model, mainRandom);
                    resume.await();
                }
            }
            for (Thread t : threads) {
                t.join();
            }
            if (!errors.isEmpty()) {
                throw failure("the end", errors);
            }
            // the workers have ended: free what they left (into the heaps of ended threads) and check the bounds
            model.heal();
            List<Block> left = ca.live.blocks();
            for (Block b : left) {
                ca.free(b, false);
            }
            handoff.clear();
            model.check("after freeing every block left by the ended threads");
            AllocatorStats s = ca.allocator().stats();
            // with nothing live, every large mapping left is a cached one: mapped = superslabs + the cache, exactly
            long mapped = s.count("mapped_bytes").current();
            long expected = s.count("superslabs").current() * 2 * MiB + s.count("large_cached_bytes").current();
            if (mapped != expected) {
                throw new AssertionError("mapped_bytes " + mapped + " with nothing live, but superslabs and cached large "
                        + "mappings account for " + expected + " (large_mappings " + s.count("large_mappings").current() + ")");
            }
            int classes = 48; // C0..C47 (docs/allocator.md)
            // the heaps of ended platform threads keep nothing; pooled heaps of virtual threads are not ended and keep
            // their current slab per class, as a live thread's heap does
            long keeping = virtual ? s.count("heaps").current() : 1;
            if (s.count("slabs_in_use").current() > classes * keeping) {
                throw new AssertionError("slabs_in_use " + s.count("slabs_in_use").current() + " with nothing live; at most"
                        + " one per class (" + classes + ") per heap still in use (" + keeping + ") may stay in use");
            }
        } finally {
            for (Worker w : workers) {
                if (w != null) {
                    OPERATIONS.addAndGet(w.ops);
                    CROSS_FREES.addAndGet(w.crossFrees);
                    OOMS.addAndGet(w.ooms);
                    FAULTS_ARMED.addAndGet(w.armed);
                }
            }
            FAULTS_ARMED.addAndGet(model.faultsArmed);
            MMAP_FAULTS.addAndGet(box.injected(Op.MMAP));
            MADVISE_FAULTS.addAndGet(box.injected(Op.MADVISE));
            AUDITS.addAndGet(model.audits);
            DECOMMITS.addAndGet(ca.allocator().stats().counter("slabs_decommitted"));
            for (Thread t : threads) {
                if (t != null && t.isAlive()) {
                    t.interrupt();
                }
            }
            ca.close();
        }
        AllocatorStats s = ca.allocator().stats();
        if (box.mappedBytes() != 0 || s.count("mapped_bytes").current() != 0
                || s.counter("munmap_bytes") != s.counter("mmap_bytes") || !box.violations().isEmpty()) {
            throw new AssertionError("after close: box maps " + box.mappedBytes() + ", mapped_bytes "
                    + s.count("mapped_bytes").current() + ", mmap_bytes " + s.counter("mmap_bytes") + ", munmap_bytes "
                    + s.counter("munmap_bytes") + ", violations " + box.violations());
        }
    }

    private static AssertionError failure(String where, List<Throwable> errors) {
        AssertionError e = new AssertionError("a worker failed before " + where + ": " + errors.get(0), errors.get(0));
        for (int i = 1; i < errors.size(); i++) {
            e.addSuppressed(errors.get(i));
        }
        return e;
    }

    private static void stopWorkers(Worker[] workers, CyclicBarrier resume) throws Exception {
        for (Worker w : workers) {
            w.stop = true;
        }
        resume.await();
    }

    /** Between phases: ENOMEM on a random upcoming mmap (often), a madvise error (sometimes), or heal. */
    private static void armFaults(FaultModel model, SplittableRandom r) {
        int roll = r.nextInt(10);
        if (roll < 6) {
            model.armMmap(r.nextInt(0, 24), r.nextInt(10) == 0 ? 40 : r.nextInt(1, 4));
        } else if (roll < 8) {
            model.heal();
        }
        if (r.nextInt(6) == 0) {
            int[] errnos = {NativeOsBox.EINVAL, NativeOsBox.EAGAIN, NativeOsBox.ENOMEM};
            model.armMadvise(r.nextInt(0, 6), errnos[r.nextInt(errnos.length)]);
        }
    }

    /** One thread's random operation stream; its blocks are in the shared model ({@code ca.live}) too. */
    static final class Worker {
        final int id;
        final CheckedAllocator ca;
        final AuditingOsBox box;
        final ConcurrentLinkedQueue<Block> handoff;
        final SplittableRandom r;
        final List<Block> mine = new ArrayList<>();
        long mineBytes;
        volatile boolean stop;
        long ops;
        long crossFrees;
        long ooms;
        long armed;

        Worker(int id, CheckedAllocator ca, AuditingOsBox box, ConcurrentLinkedQueue<Block> handoff, SplittableRandom r) {
            this.id = id;
            this.ca = ca;
            this.box = box;
            this.handoff = handoff;
            this.r = r;
        }

        void loop(CyclicBarrier pause, CyclicBarrier resume, List<Throwable> errors) {
            boolean failed = false;
            try {
                while (true) {
                    if (!failed) {
                        try {
                            for (int i = 0; i < OPS; i++) {
                                step();
                            }
                        } catch (Throwable t) {
                            failed = true;
                            errors.add(new AssertionError("thread " + id + " after " + ops + " operations: " + t, t));
                        }
                    }
                    pause.await();
                    resume.await();
                    if (stop) {
                        return;
                    }
                }
            } catch (InterruptedException | BrokenBarrierException e) {
                errors.add(e);
            }
        }

        private void step() {
            ops++;
            while (mineBytes > LIVE_CAP) {
                free(mine.get(0));
            }
            int roll = r.nextInt(100);
            if (roll < 30) {
                long size = size();
                alloc("malloc(" + size + ")", size, () -> ca.malloc(size));
            } else if (roll < 38) {
                long count = r.nextLong(1, 17);
                long size = size() / count;
                alloc("calloc(" + count + ", " + size + ")", count * size, () -> ca.calloc(count, size));
            } else if (roll < 48) {
                long size = Math.min(size(), 2 * MiB);
                long alignment = 1L << r.nextInt(0, 17);
                alloc("allocate(" + size + ", " + alignment + ")", size, () -> ca.allocate(size, alignment));
            } else if (roll < 58) {
                if (!mine.isEmpty()) {
                    Block b = mine.get(r.nextInt(mine.size()));
                    long size = size();
                    remove(b);
                    Block[] nb = new Block[1];
                    boolean oom = guard("realloc(" + b + ", " + size + ")", Math.max(size, 1), () -> nb[0] = ca.realloc(b, size));
                    keep(oom ? b : nb[0]);
                }
            } else if (roll < 80) {
                if (!mine.isEmpty()) {
                    free(mine.get(r.nextInt(mine.size())));
                }
            } else if (roll < 88) {
                if (!mine.isEmpty()) { // hand a block to whichever thread takes it next
                    Block b = mine.get(r.nextInt(mine.size()));
                    remove(b);
                    handoff.add(b);
                }
            } else if (roll < 99) {
                Block b = handoff.poll();
                if (b != null) { // most likely another thread's block: a cross-thread free
                    ca.free(b, r.nextBoolean());
                    crossFrees++;
                }
            } else { // a fault mid-phase, from a worker: ENOMEM on one of the next few mmap calls
                box.inject(Op.MMAP, r.nextInt(0, 8), 1, NativeOsBox.ENOMEM);
                armed++;
            }
        }

        private long size() {
            int roll = r.nextInt(100);
            if (roll < 45) {
                return r.nextLong(1, 257);
            } else if (roll < 75) {
                return r.nextLong(257, 4097);
            } else if (roll < 92) {
                return r.nextLong(4097, 32 * KiB + 1);
            } else if (roll < 98) {
                return r.nextLong(32 * KiB + 1, MiB);
            }
            return r.nextLong(MiB, 4 * MiB + 1);
        }

        private void alloc(String call, long request, java.util.function.Supplier<Block> a) {
            Block[] b = new Block[1];
            if (!guard(call, request, () -> b[0] = a.get())) {
                keep(b[0]);
            }
        }

        /**
         * Runs an allocating call; true if it threw an OutOfMemoryError, which must come from an mmap of this thread
         * that the box refused (or the kernel did), name the request and ENOMEM, and leave this thread's blocks intact.
         */
        private boolean guard(String call, long request, Runnable r) {
            long injected = box.injectedInThisThread(Op.MMAP);
            long real = box.realFailures(Op.MMAP);
            try {
                r.run();
                return false;
            } catch (OutOfMemoryError e) {
                if (box.injectedInThisThread(Op.MMAP) == injected && box.realFailures(Op.MMAP) == real) {
                    throw new AssertionError(call + ": OutOfMemoryError although no mmap of this thread was refused: " + e, e);
                }
                FaultModel.checkMessage(call, request, e);
                for (Block b : mine) {
                    ca.verify(b);
                }
                ooms++;
                return true;
            }
        }

        private void keep(Block b) {
            mine.add(b);
            mineBytes += b.size();
        }

        private void remove(Block b) {
            mine.remove(b);
            mineBytes -= b.size();
        }

        private void free(Block b) {
            remove(b);
            ca.free(b, r.nextBoolean());
        }
    }

    static Allocator unused() {
        return null;
    }

    static HakmemAllocator core(Allocator a) {
        return (HakmemAllocator) a;
    }
}
