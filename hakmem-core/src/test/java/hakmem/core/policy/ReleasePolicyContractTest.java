package hakmem.core.policy;

import static hakmem.core.policy.Allocators.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hakmem.api.Allocator;
import hakmem.api.AllocatorStats;
import hakmem.api.spi.PolicyPlugin;
import hakmem.core.option.CoreOptions;
import hakmem.testkit.CheckResult;
import hakmem.testkit.PolicyContract;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every release policy must guarantee, whatever it decides: no live block is ever decommitted or unmapped,
 * the stats stay consistent, and close gives everything back. One thin subclass per policy.
 *
 * <p>The allocator runs on a {@link ShadowOsBox}: real system calls, watched. Contents are checked with patterns
 * derived from each block's address (a DONTNEED over live data zeroes it), and every madvise and munmap is
 * checked against the live set (a FREE over live data leaves the bytes until the kernel reclaims the pages, so
 * only the call shows it).
 */
abstract class ReleasePolicyContractTest {

    static final long SUPERSLAB = 2 * MIB;
    static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(20);

    /** The policy under test. */
    abstract String policyId();

    /** Options for it (beyond the empty environment). */
    Map<String, String> options() {
        return Map.of();
    }

    /** True if the policy gives memory back (decommit or retire) before close. */
    abstract boolean releasesMemory();

    /** Superslabs it prewarms at open. */
    int prewarmedSuperSlabs() {
        return 0;
    }

    /** Counters the policy's plugin declares. */
    List<String> pluginCounters() {
        return List.of();
    }

    ConcurrentSkipListMap<Long, Long> live;
    ShadowOsBox os;
    List<Allocators.Report> reports;
    Allocator allocator;

    @BeforeEach
    void open() {
        live = new ConcurrentSkipListMap<>();
        os = new ShadowOsBox(live);
        reports = Allocators.reports();
        allocator = Allocators.open(policyId(), options(), os, reports);
    }

    @AfterEach
    void closeAndCheckTheShadow() {
        allocator.close();
        assertThat(os.violations()).as("releases that touched live blocks or unowned memory").isEmpty();
        assertThat(os.mappedBytes()).as("bytes still mapped after close").isZero();
    }

    /** The test kit's checks (what {@code ./hakmem check-policy} runs), against the plugin the core found. */
    @Test
    void passesTheTestKitContract() {
        PolicyPlugin plugin = ServiceLoader.load(PolicyPlugin.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.id().equals(policyId())).findFirst().orElseThrow();
        List<CheckResult> results = PolicyContract.of(plugin).withCoreOptions(CoreOptions.SPECS).run();
        assertThat(results).extracting(CheckResult::check).containsExactlyElementsOf(PolicyContract.CHECKS);
        assertThat(results).as(results.toString()).allMatch(CheckResult::passed);
        assertThat(Allocators.provider().coreOptions()).as("what check-policy passes").isEqualTo(CoreOptions.SPECS);
    }

    @Test
    void opensWithThePolicyItsCountersAndItsPrewarm() {
        assertThat(allocator.policy()).isEqualTo(policyId());
        AllocatorStats s = allocator.stats();
        assertThat(s.policy()).isEqualTo(policyId());
        assertThat(s.version()).isEqualTo(AllocatorStats.FORMAT_VERSION);
        for (String c : pluginCounters()) {
            assertThat(s.counter(c)).as(c).isGreaterThanOrEqualTo(0);
        }
        assertThat(s.counter("superslabs_prewarmed")).isEqualTo(prewarmedSuperSlabs());
        assertThat(s.count("superslabs").current()).isGreaterThanOrEqualTo(prewarmedSuperSlabs());
        assertConsistent(s);
    }

    /**
     * Medium blocks (whole-superslab slabs) and large blocks (cached mappings): the policy's decisions on them never
     * touch a live block (the shadow OS box), what it keeps or releases follows its kind, and what survives is intact.
     */
    @Test
    void decisionsOnMediumAndLargeMemoryNeverTouchALiveBlock() {
        SplittableRandom rng = new SplittableRandom(11);
        BlockTable t = new BlockTable(allocator, live, 96);
        for (int i = 0; i < t.slots(); i++) {
            t.malloc(i, i % 3 == 0 ? (1L << 20) + 1 + rng.nextInt(3 << 20) : 32769 + rng.nextInt((1 << 20) - 32768));
        }
        for (int i = 0; i < t.slots(); i++) {
            if (i % 8 != 0) {
                t.free(i);
            }
        }
        if (releasesMemory()) {
            awaitStats(s -> s.counter("bytes_decommitted") > 0 || s.counter("superslabs_retired") > 0
                    || s.counter("large_decommits") > 0, "the policy to release medium or large memory");
        } else {
            assertThat(allocator.stats().count("large_cached_bytes").current()).as("freed large mappings kept for reuse")
                    .isPositive();
        }
        t.verifyAll();
        for (int i = 0; i < t.slots(); i++) { // reuse what was kept, decommitted or unmapped
            if (i % 8 != 0) {
                t.malloc(i, i % 3 == 0 ? (1L << 20) + 1 + rng.nextInt(3 << 20) : 32769 + rng.nextInt((1 << 20) - 32768));
            }
        }
        t.verifyAll();
        t.freeAll();
        assertConsistent(allocator.stats());
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {0x9E3779B97F4A7C15L, 7})
    void heavyChurnAcrossSizesNeverTouchesALiveBlock(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        BlockTable t = new BlockTable(allocator, live, 4096);

        for (int i = 0; i < t.slots(); i++) {
            t.malloc(i, BlockTable.randomSize(rng));
        }
        churn(t, rng, 40_000);
        t.verifyAll();
        assertConsistent(allocator.stats());

        // back to a sixteenth: whole slabs and superslabs empty, so a releasing policy has work
        for (int i = 0; i < t.slots(); i++) {
            if (i % 16 != 0) {
                t.free(i);
            }
        }
        if (releasesMemory()) {
            awaitStats(s -> s.counter("slabs_decommitted") > 0 || s.counter("superslabs_retired") > 0,
                    "the policy to release memory");
        }
        t.verifyAll();
        assertConsistent(allocator.stats());

        // grow again into memory that may have been decommitted or retired
        for (int i = 0; i < t.slots(); i++) {
            if (!t.used(i)) {
                t.malloc(i, BlockTable.randomSize(rng));
            }
        }
        churn(t, rng, 15_000);
        t.verifyAll();
        t.freeAll();
        assertThat(live).isEmpty();

        AllocatorStats s = allocator.stats();
        assertConsistent(s);
        assertThat(os.violations()).isEmpty();
        assertThat(s.counter("invalid_frees") + s.counter("double_frees")).isZero();
        assertThat(s.counter("madvise_errors")).isZero();
        if (releasesMemory()) {
            assertThat(s.counter("slabs_decommitted") + s.counter("superslabs_retired")).isPositive();
        } else {
            assertThat(s.counter("madvise_calls")).as("madvise_calls").isZero();
            assertThat(s.counter("slabs_decommitted")).as("slabs_decommitted").isZero();
            assertThat(s.counter("superslabs_retired")).as("superslabs_retired").isZero();
            assertThat(os.madvises()).isZero();
        }
    }

    @Test
    void crossThreadFreesNeverTouchALiveBlock() throws Exception {
        BlockingQueue<long[]> handOff = new ArrayBlockingQueue<>(256);
        long[] poison = {0};
        try (ExecutorService producerPool = Executors.newSingleThreadExecutor();
             ExecutorService consumerPool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> producer = producerPool.submit(() -> {
                SplittableRandom rng = new SplittableRandom(11);
                BlockTable t = new BlockTable(allocator, live, 1024);
                for (int op = 0; op < 40_000; op++) {
                    int slot = rng.nextInt(t.slots());
                    if (t.used(slot) && rng.nextInt(3) == 0) {
                        offer(handOff, t.handOff(slot));
                    } else {
                        t.malloc(slot, BlockTable.randomSize(rng));
                    }
                }
                t.verifyAll();
                t.freeAll();
                offer(handOff, poison);
                return null;
            });
            Future<?> consumer = consumerPool.submit(() -> {
                SplittableRandom rng = new SplittableRandom(12);
                BlockTable t = new BlockTable(allocator, live, 512);
                for (long[] block = poll(handOff); block != poison; block = poll(handOff)) {
                    BlockTable.verifyAndFree(allocator, live, block);
                    t.malloc(rng.nextInt(t.slots()), BlockTable.randomSize(rng));
                }
                t.verifyAll();
                t.freeAll();
                return null;
            });
            join(producer);
            join(consumer);
        }
        assertThat(live).isEmpty();
        assertThat(os.violations()).isEmpty();
        AllocatorStats s = allocator.stats();
        assertConsistent(s);
        assertThat(s.counter("remote_frees")).isPositive();
    }

    @Test
    void closeReleasesEverythingAndLaterCallsFail() {
        SplittableRandom rng = new SplittableRandom(3);
        BlockTable t = new BlockTable(allocator, live, 2048);
        for (int i = 0; i < t.slots(); i++) {
            t.malloc(i, BlockTable.randomSize(rng));
        }
        churn(t, rng, 10_000);
        assertThat(allocator.residentBytes()).isPositive();

        live.clear(); // close frees the live blocks: from here on none is live
        allocator.close();
        allocator.close(); // idempotent

        assertThat(os.mappedBytes()).as("bytes the shadow still sees mapped").isZero();
        assertThat(reports).as("the close report (ss.os.stats=1)").anyMatch(r -> r.when().equals("close"));
        AllocatorStats last = reports.stream().filter(r -> r.when().equals("close")).reduce((a, b) -> b).orElseThrow().stats();
        assertThat(last.count("mapped_bytes").current()).isZero();
        assertThat(last.count("superslabs").current()).isZero();
        assertThat(last.count("large_mappings").current()).isZero();
        assertThat(last.counter("munmap_bytes")).as("every mapped byte unmapped").isEqualTo(last.counter("mmap_bytes"));
        assertConsistent(last);

        assertThatThrownBy(allocator::residentBytes).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> allocator.malloc(16)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void osCountersMatchTheCallsTheOsBoxSaw() {
        SplittableRandom rng = new SplittableRandom(5);
        BlockTable t = new BlockTable(allocator, live, 2048);
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < t.slots(); i++) {
                t.malloc(i, BlockTable.randomSize(rng));
            }
            t.freeAll();
        }
        AllocatorStats running = allocator.stats();
        assertThat(allocator.residentBytes()).isBetween(0L, running.count("mapped_bytes").peak());
        // compare once nothing runs any more: a ticker may release between two reads
        allocator.close();
        AllocatorStats s = reports.stream().filter(r -> r.when().equals("close")).reduce((a, b) -> b).orElseThrow().stats();
        assertThat(s.counter("mmap_calls")).as("mmap_calls").isEqualTo(os.mmaps());
        assertThat(s.counter("munmap_calls")).as("munmap_calls").isEqualTo(os.munmaps());
        assertThat(s.counter("madvise_calls")).as("madvise_calls").isEqualTo(os.madvises());
        assertThat(s.counter("madvise_bytes")).as("madvise_bytes").isEqualTo(os.madvisedBytes());
        assertThat(s.count("mapped_bytes").current()).isZero();
        for (String c : pluginCounters()) {
            assertThat(s.counter(c)).as(c).isGreaterThanOrEqualTo(0);
        }
        if (pluginCounters().contains("lean_bytes_decommitted")) {
            // every decommit and retire in this allocator is the policy's, and it counted each one
            assertThat(s.counter("lean_bytes_decommitted")).isEqualTo(s.counter("bytes_decommitted"));
            assertThat(s.counter("lean_decommit")).isEqualTo(s.counter("slabs_decommitted"));
            assertThat(s.counter("lean_retire")).isEqualTo(s.counter("superslabs_retired"));
        }
    }

    // ---- helpers ----

    static void churn(BlockTable t, SplittableRandom rng, int ops) {
        for (int op = 0; op < ops; op++) {
            int slot = rng.nextInt(t.slots());
            int kind = rng.nextInt(20);
            long size = BlockTable.randomSize(rng);
            if (kind == 0) {
                t.calloc(slot, size);
            } else if (kind <= 2) {
                t.realloc(slot, size);
            } else if (kind <= 5) {
                t.free(slot);
            } else {
                t.malloc(slot, size);
            }
        }
    }

    /** {@code peak >= current >= 0} (and {@code total >= peak}) for every count, counters never negative. */
    static void assertConsistent(AllocatorStats s) {
        for (AllocatorStats.Count c : s.counts()) {
            assertThat(c.current()).as(c.name() + " current").isGreaterThanOrEqualTo(0);
            assertThat(c.peak()).as(c.name() + " peak").isGreaterThanOrEqualTo(c.current());
            assertThat(c.total()).as(c.name() + " total").isGreaterThanOrEqualTo(c.peak());
        }
        for (AllocatorStats.Counter c : s.counters()) {
            assertThat(c.value()).as(c.name()).isGreaterThanOrEqualTo(0);
        }
        assertThat(s.count("mapped_bytes").current())
                .isGreaterThanOrEqualTo(s.count("superslabs").current() * SUPERSLAB);
        assertThat(s.counter("decommit_disabled")).isZero();
    }

    void awaitStats(java.util.function.Predicate<AllocatorStats> condition, String what) {
        await(() -> condition.test(allocator.stats()), what);
    }

    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + SETTLE_TIMEOUT + " waiting for " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** Bounded waits: a failed peer must fail the test, not hang it. */
    static void offer(BlockingQueue<long[]> q, long[] block) throws InterruptedException {
        if (!q.offer(block, 60, TimeUnit.SECONDS)) {
            throw new AssertionError("the consumer stopped taking blocks");
        }
    }

    static long[] poll(BlockingQueue<long[]> q) throws InterruptedException {
        long[] block = q.poll(60, TimeUnit.SECONDS);
        if (block == null) {
            throw new AssertionError("the producer stopped handing off blocks");
        }
        return block;
    }

    static void join(Future<?> f) throws Exception {
        try {
            f.get(120, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }
}
