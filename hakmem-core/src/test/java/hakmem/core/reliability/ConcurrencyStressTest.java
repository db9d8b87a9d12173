package hakmem.core.reliability;

import static hakmem.core.reliability.Reliability.KiB;
import static hakmem.core.reliability.Reliability.MiB;
import static org.assertj.core.api.Assertions.assertThat;

import hakmem.api.Allocator;
import hakmem.api.AllocatorStats;
import hakmem.core.reliability.LiveSet.Block;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Concurrency stress with a fixed time budget per test ({@code -Dhakmem.reliability.stress.seconds}, default 2):
 * platform and virtual threads, cross-thread frees, thread churn with live blocks freed by others, and decommit
 * running while other threads allocate in the same class. Every block is filled with its pattern and verified by
 * whichever thread frees it; a shared {@link LiveSet} (added after malloc returns, removed before free) catches
 * any block handed out twice. No timing is asserted: the budget only bounds how long each test runs.
 */
class ConcurrencyStressTest {

    static final int SECONDS = Reliability.knob("stress.seconds", 2);
    private static final Map<String, AtomicLong> FIGURES = new LinkedHashMap<>();

    static Stream<String> policies() {
        return Reliability.policies().stream();
    }

    static Stream<String> decommittingPolicies() {
        return Reliability.policies().stream().filter(p -> p.equals("lean")); // balanced never decommits
    }

    private static void add(String figure, long delta) {
        synchronized (FIGURES) {
            FIGURES.computeIfAbsent(figure, k -> new AtomicLong()).addAndGet(delta);
        }
    }

    @AfterAll
    static void figures() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("seconds_per_test", SECONDS);
        synchronized (FIGURES) {
            FIGURES.forEach((k, v) -> f.put(k, v.get()));
        }
        Reliability.recordFigures("ConcurrencyStressTest", f);
    }

    /** Shared state of one stress run: allocator, model, failure, counters. */
    static final class Run {
        final Allocator a;
        final LiveSet live = new LiveSet();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicLong mallocs = new AtomicLong();
        final AtomicLong frees = new AtomicLong();
        final AtomicLong crossFrees = new AtomicLong();
        final AtomicLong bytesVerified = new AtomicLong();
        final long deadline;

        Run(Allocator a) {
            this.a = a;
            this.deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
        }

        boolean going() {
            return failure.get() == null && System.nanoTime() < deadline;
        }

        Block malloc(long size) {
            long addr = a.malloc(size);
            if ((addr & 15) != 0) {
                throw new AssertionError("malloc(" + size + ") returned unaligned " + Reliability.hex(addr));
            }
            long usable = a.usableSize(addr);
            if (usable < size) {
                throw new AssertionError("usableSize " + usable + " < " + size);
            }
            Block b = new Block(live.nextId(), addr, size, usable, 16, Patterns.seed(addr, size), null);
            live.add(b);
            Patterns.fill(addr, size, b.seed());
            mallocs.incrementAndGet();
            return b;
        }

        void free(Block b, boolean cross) {
            Patterns.verify("block " + b + " freed by " + Thread.currentThread(), b.address(), b.size(), b.seed());
            bytesVerified.addAndGet(b.size());
            live.remove(b);
            a.free(b.address());
            frees.incrementAndGet();
            if (cross) {
                crossFrees.incrementAndGet();
            }
        }

        void fail(Throwable t) {
            failure.compareAndSet(null, t);
        }

        void check() {
            Throwable t = failure.get();
            if (t != null) {
                throw new AssertionError("a stress thread failed: " + t, t);
            }
        }

        void record(String test) {
            add(test + ".mallocs", mallocs.get());
            add(test + ".frees", frees.get());
            add(test + ".cross_thread_frees", crossFrees.get());
            add("total.mallocs", mallocs.get());
            add("total.frees", frees.get());
            add("total.cross_thread_frees", crossFrees.get());
            add("total.bytes_verified", bytesVerified.get());
        }
    }

    static long size(SplittableRandom r) {
        int k = r.nextInt(100);
        if (k < 70) {
            return 1 + r.nextInt(1024);
        }
        if (k < 95) {
            return 1025 + r.nextInt((int) (32 * KiB) - 1024);
        }
        return 32 * KiB + 1 + r.nextInt((int) (256 * KiB));
    }

    private static void join(List<Thread> threads) throws InterruptedException {
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(SECONDS + 60));
            assertThat(t.isAlive()).as(t + " finished").isFalse();
        }
    }

    private static void checkStats(Allocator a) {
        new StatsCheck().check(a.stats(), "after stress");
    }

    /** Producers allocate and fill, consumers on other threads verify and free. */
    @ParameterizedTest
    @MethodSource("policies")
    void producersAndConsumersOnPlatformThreads(String policy) throws Exception {
        try (Allocator a = Reliability.open(policy, Reliability.EAGER_DECOMMIT)) {
            Run run = new Run(a);
            BlockingQueue<Block> queue = new ArrayBlockingQueue<>(2048);
            List<Thread> threads = new ArrayList<>();
            AtomicLong producing = new AtomicLong(4);
            for (int p = 0; p < 4; p++) {
                int seed = p;
                threads.add(Thread.ofPlatform().name("producer-" + p).start(() -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    try {
                        while (run.going()) {
                            Block b = run.malloc(size(r));
                            while (!queue.offer(b, 10, TimeUnit.MILLISECONDS)) {
                                if (run.failure.get() != null) {
                                    return;
                                }
                            }
                        }
                    } catch (Throwable t) {
                        run.fail(t);
                    } finally {
                        producing.decrementAndGet();
                    }
                }));
            }
            for (int c = 0; c < 4; c++) {
                threads.add(Thread.ofPlatform().name("consumer-" + c).start(() -> {
                    try {
                        while (true) {
                            Block b = queue.poll(10, TimeUnit.MILLISECONDS);
                            if (b != null) {
                                run.free(b, true);
                            } else if (producing.get() == 0 || run.failure.get() != null) {
                                if (queue.isEmpty()) {
                                    return;
                                }
                            }
                        }
                    } catch (Throwable t) {
                        run.fail(t);
                    }
                }));
            }
            join(threads);
            run.check();
            assertThat(run.live.size()).isZero();
            assertThat(a.stats().counter("remote_frees")).isPositive();
            checkStats(a);
            run.record("producers_consumers");
            add("threads.platform", 8);
        }
    }

    /**
     * Waves of virtual threads: each allocates, parks (so it may resume on another carrier), trades half its
     * blocks with other threads through a shared queue, and frees what it holds.
     */
    @ParameterizedTest
    @MethodSource("policies")
    void virtualThreadsTradeBlocks(String policy) throws Exception {
        try (Allocator a = Reliability.open(policy, Reliability.EAGER_DECOMMIT)) {
            Run run = new Run(a);
            ConcurrentLinkedQueue<Block> exchange = new ConcurrentLinkedQueue<>();
            long threadsStarted = 0;
            int wave = 0;
            while (run.going()) {
                List<Thread> threads = new ArrayList<>();
                for (int v = 0; v < 500; v++) {
                    long seed = (long) wave << 20 | v;
                    threads.add(Thread.ofVirtual().start(() -> {
                        SplittableRandom r = new SplittableRandom(seed);
                        try {
                            List<Block> mine = new ArrayList<>();
                            for (int i = 0; i < 16; i++) {
                                mine.add(run.malloc(size(r)));
                                if (i % 4 == 0) {
                                    Thread.sleep(0, 1000); // unmount; may come back on another carrier
                                }
                            }
                            for (int i = 0; i < mine.size(); i += 2) {
                                exchange.add(mine.get(i));
                            }
                            Thread.yield();
                            for (int i = 1; i < mine.size(); i += 2) {
                                run.free(mine.get(i), false);
                            }
                            for (int i = 0; i < 8; i++) {
                                Block b = exchange.poll();
                                if (b == null) {
                                    break;
                                }
                                run.free(b, true);
                            }
                        } catch (Throwable t) {
                            run.fail(t);
                        }
                    }));
                }
                threadsStarted += threads.size();
                join(threads);
                wave++;
            }
            Block b;
            while ((b = exchange.poll()) != null) {
                run.free(b, true);
            }
            run.check();
            assertThat(run.live.size()).isZero();
            AllocatorStats s = a.stats();
            assertThat(s.count("heaps").peak()).as("no heap per virtual thread")
                    .isLessThanOrEqualTo(4L * Runtime.getRuntime().availableProcessors() + 4);
            checkStats(a);
            run.record("virtual_threads");
            add("threads.virtual", threadsStarted);
        }
    }

    /**
     * Thread churn: short-lived platform threads allocate, free some blocks themselves and exit with the rest live;
     * a janitor thread frees those. Heaps of ended threads must be reused and memory must not grow with the
     * number of threads that came and went.
     */
    @ParameterizedTest
    @MethodSource("policies")
    void threadChurnWithLiveBlocksFreedByOthers(String policy) throws Exception {
        try (Allocator a = Reliability.open(policy, Reliability.EAGER_DECOMMIT)) {
            Run run = new Run(a);
            BlockingQueue<Block> orphans = new ArrayBlockingQueue<>(100_000);
            AtomicLong churning = new AtomicLong(1);
            Thread janitor = Thread.ofPlatform().name("janitor").start(() -> {
                try {
                    while (churning.get() > 0 || !orphans.isEmpty()) {
                        Block b = orphans.poll(5, TimeUnit.MILLISECONDS);
                        if (b != null) {
                            run.free(b, true);
                        }
                    }
                } catch (Throwable t) {
                    run.fail(t);
                }
            });
            long threadsStarted = 0;
            long mappedAfterWarmup = -1;
            long maxMapped = 0;
            int wave = 0;
            while (run.going()) {
                List<Thread> threads = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    long seed = (long) wave << 8 | t;
                    threads.add(Thread.ofPlatform().name("churn-" + wave + "-" + t).start(() -> {
                        SplittableRandom r = new SplittableRandom(seed);
                        try {
                            List<Block> mine = new ArrayList<>();
                            for (int i = 0; i < 200; i++) {
                                mine.add(run.malloc(size(r)));
                            }
                            for (int i = 0; i < mine.size(); i++) {
                                if (i % 2 == 0) {
                                    run.free(mine.get(i), false);
                                } else {
                                    orphans.put(mine.get(i)); // this thread exits with the block live
                                }
                            }
                        } catch (Throwable e) {
                            run.fail(e);
                        }
                    }));
                }
                threadsStarted += threads.size();
                join(threads);
                wave++;
                long mapped = a.stats().count("mapped_bytes").current();
                if (wave == 5) {
                    mappedAfterWarmup = mapped;
                }
                maxMapped = Math.max(maxMapped, mapped);
            }
            churning.set(0);
            janitor.join();
            run.check();
            assertThat(run.live.size()).isZero();
            AllocatorStats s = a.stats();
            assertThat(s.count("heaps").current()).as("heaps of ended threads are reused, not piled up")
                    .isLessThanOrEqualTo(16);
            if (wave > 10 && mappedAfterWarmup > 0) {
                assertThat(maxMapped).as("mapped memory does not grow with the number of threads that ended "
                        + "(after wave 5: " + mappedAfterWarmup + ", waves: " + wave + ")")
                        .isLessThanOrEqualTo(2 * mappedAfterWarmup + 64 * MiB);
            }
            checkStats(a);
            run.record("thread_churn");
            add("threads.platform", threadsStarted + 1);
        }
    }

    /**
     * Mixed workload over shared slots: every thread replaces a random slot's block, freeing whatever was there,
     * whoever allocated it (most frees are cross-thread).
     */
    @ParameterizedTest
    @MethodSource("policies")
    void sharedSlotsMixedWorkload(String policy) throws Exception {
        try (Allocator a = Reliability.open(policy, Reliability.EAGER_DECOMMIT)) {
            Run run = new Run(a);
            AtomicReferenceArray<Block> slots = new AtomicReferenceArray<>(4096);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                int seed = 100 + t;
                boolean virtual = t % 2 == 1;
                Runnable body = () -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    try {
                        while (run.going()) {
                            int i = r.nextInt(slots.length());
                            Block nb = run.malloc(r.nextInt(10) == 0 ? size(r) : 16 + r.nextInt(1009));
                            Block old = slots.getAndSet(i, nb);
                            if (old != null) {
                                run.free(old, true);
                            }
                        }
                    } catch (Throwable e) {
                        run.fail(e);
                    }
                };
                threads.add(virtual ? Thread.ofVirtual().start(body) : Thread.ofPlatform().start(body));
            }
            join(threads);
            for (int i = 0; i < slots.length(); i++) {
                Block b = slots.getAndSet(i, null);
                if (b != null) {
                    run.free(b, true);
                }
            }
            run.check();
            assertThat(run.live.size()).isZero();
            checkStats(a);
            run.record("shared_slots");
            add("threads.platform", 3);
            add("threads.virtual", 3);
        }
    }

    /**
     * Decommit (lean family, DONTNEED, delay 0) while other threads allocate in the same class: churners fill
     * slabs of the 1 KiB class and free them whole, so slabs go empty and are advised at once; holders keep
     * long-lived blocks of the same class and verify them. An advised slab that still held a block would read
     * back as zeros. The OS box also refuses (and reports) any madvise over a block in the model.
     */
    @ParameterizedTest(allowZeroInvocations = true)
    @MethodSource("decommittingPolicies")
    void decommitWhileOthersAllocateInTheSameClass(String policy) throws Exception {
        AuditingOsBox box = new AuditingOsBox();
        try (Allocator a = Reliability.open(policy, Reliability.EAGER_DECOMMIT, box)) {
            Run run = new Run(a);
            box.attach(run.live);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                threads.add(Thread.ofPlatform().name("churner-" + t).start(() -> {
                    try {
                        while (run.going()) {
                            List<Block> batch = new ArrayList<>();
                            for (int i = 0; i < 200; i++) {
                                batch.add(run.malloc(1000));
                            }
                            for (Block b : batch) {
                                run.free(b, false);
                            }
                        }
                    } catch (Throwable e) {
                        run.fail(e);
                    }
                }));
            }
            for (int t = 0; t < 2; t++) {
                int seed = t;
                threads.add(Thread.ofPlatform().name("holder-" + t).start(() -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    Block[] ring = new Block[100];
                    try {
                        while (run.going()) {
                            int i = r.nextInt(ring.length);
                            if (ring[i] != null) {
                                run.free(ring[i], false);
                            }
                            ring[i] = run.malloc(900 + r.nextInt(124));
                        }
                        for (Block b : ring) {
                            if (b != null) {
                                run.free(b, false);
                            }
                        }
                    } catch (Throwable e) {
                        run.fail(e);
                    }
                }));
            }
            join(threads);
            box.attach(null);
            run.check();
            assertThat(box.violations()).isEmpty();
            AllocatorStats s = a.stats();
            assertThat(s.counter("slabs_decommitted")).as("decommit happened during the run: " + s.toJson())
                    .isPositive();
            add("decommit_race.slabs_decommitted", s.counter("slabs_decommitted"));
            add("decommit_race.madvise_calls", box.calls(AuditingOsBox.Op.MADVISE));
            checkStats(a);
            run.record("decommit_race");
            add("threads.platform", 4);
        }
    }

    static ExecutorService owner() {
        return Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().name("owner").unstarted(r));
    }
}
