package hakmem.core.reliability;

import static hakmem.core.reliability.CheckedAllocator.expect;
import static hakmem.core.reliability.Reliability.KiB;
import static hakmem.core.reliability.Reliability.MiB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import hakmem.api.Allocator;
import hakmem.api.AllocatorStats;
import hakmem.core.reliability.AuditingOsBox.Op;
import hakmem.core.reliability.LiveSet.Block;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fault injection through the OS box ({@link AuditingOsBox} bound with a Guice override): mmap failing at the n-th
 * call, mmap refused for a while, madvise failing with EINVAL or EAGAIN, mincore failing, munmap failing.
 * Expected: {@link OutOfMemoryError} naming the request size and errno, an allocator that works again once memory
 * is available, decommit disabled fail-fast (decommit_disabled = 1, madvise_errors counted, no further madvise)
 * with every live block intact, and OS accounting that matches what the box really mapped.
 */
class FaultInjectionTest {

    private static final AtomicLong FAULTS = new AtomicLong();
    private static final AtomicLong OOMS = new AtomicLong();
    private static final AtomicLong RUNS = new AtomicLong();

    /** A workload that maps memory for several classes and large blocks. */
    private static final long[] SIZES = {16, 100, 1000, 5000, 20 * KiB, 40 * KiB, 100 * KiB, MiB, 3 * MiB, 64, 2000,
            30 * KiB, 200 * KiB, 8, 512, 9000};

    static Stream<String> policies() {
        return Reliability.policies().stream();
    }

    /** Policies that decommit ({@code lean}; {@code balanced} never does); skipped when not selected. */
    static Stream<Arguments> decommittingPolicies() {
        List<Arguments> out = new ArrayList<>();
        for (String p : List.of("lean")) { // balanced is lean with decommit OFF (docs/policies.md)
            if (Reliability.policies().contains(p)) {
                for (int errno : new int[] {NativeOsBox.EINVAL, NativeOsBox.EAGAIN}) {
                    out.add(Arguments.of(p, errno));
                }
            }
        }
        return out.stream();
    }

    @AfterAll
    static void figures() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("runs", RUNS.get());
        f.put("faults_injected", FAULTS.get());
        f.put("out_of_memory_errors_checked", OOMS.get());
        Reliability.recordFigures("FaultInjectionTest", f);
    }

    /** Runs the workload twice (two rounds of every size), catching and checking each OutOfMemoryError. */
    private static int workload(CheckedAllocator ca, List<Block> kept) {
        int ooms = 0;
        for (int round = 0; round < 2; round++) {
            for (long size : SIZES) {
                try {
                    kept.add(ca.malloc(size));
                } catch (OutOfMemoryError e) {
                    checkOom(e, size);
                    ooms++;
                }
                ca.checkStep("after malloc(" + size + ")");
            }
        }
        return ooms;
    }

    /** Errno is checked on every OutOfMemoryError; the request size in {@link #outOfMemoryNamesRequestAndErrno}. */
    private static void checkOom(OutOfMemoryError e, long size) {
        String m = String.valueOf(e.getMessage());
        assertThat(m).as("OutOfMemoryError for malloc(" + size + ") names errno").containsAnyOf("ENOMEM", "errno 12", "(12)");
        OOMS.incrementAndGet();
    }

    /** The contract: the OutOfMemoryError's message gives the request size and the errno, for every size. */
    @ParameterizedTest
    @MethodSource("policies")
    void outOfMemoryNamesRequestAndErrno(String policy) {
        List<String> missing = new ArrayList<>();
        for (long size : SIZES) {
            AuditingOsBox box = new AuditingOsBox();
            try (CheckedAllocator ca = new CheckedAllocator(policy, Map.of(), box)) {
                box.inject(Op.MMAP, 0, Long.MAX_VALUE, NativeOsBox.ENOMEM);
                try {
                    ca.malloc(size);
                    continue; // served from memory mapped at open (a prewarming policy)
                } catch (OutOfMemoryError e) {
                    FAULTS.incrementAndGet();
                    checkOom(e, size);
                    if (!e.getMessage().contains(Long.toString(size))) {
                        missing.add("malloc(" + size + "): " + e.getMessage());
                    }
                }
                box.healAll();
                ca.free(ca.malloc(size), false);
            }
        }
        assertThat(missing).as("OutOfMemoryError messages that do not name the request size").isEmpty();
    }

    private static void checkAccounting(CheckedAllocator ca) {
        AllocatorStats s = ca.allocator().stats();
        assertThat(s.count("mapped_bytes").current()).as("mapped_bytes vs what the OS box holds")
                .isEqualTo(ca.box.mappedBytes());
        assertThat(s.counter("mmap_bytes") - s.counter("munmap_bytes")).isEqualTo(ca.box.mappedBytes());
        assertThat(ca.box.violations()).isEmpty();
    }

    /**
     * For every n up to the number of mmap calls a clean run makes, the n-th mmap fails with ENOMEM: exactly the
     * allocation that needed it gets an OutOfMemoryError, everything else works, all blocks stay intact, and the
     * allocator serves every size again afterwards.
     */
    @ParameterizedTest
    @MethodSource("policies")
    void mmapFailingAtTheNthCall(String policy) {
        long clean;
        AuditingOsBox probe = new AuditingOsBox();
        try (CheckedAllocator ca = new CheckedAllocator(policy, Map.of(), probe)) {
            workload(ca, new ArrayList<>());
            clean = probe.calls(Op.MMAP);
        }
        assertThat(clean).as("the workload maps memory").isGreaterThan(5);
        for (long n = 1; n <= clean; n++) {
            RUNS.incrementAndGet();
            AuditingOsBox box = new AuditingOsBox();
            box.inject(Op.MMAP, n - 1, 1, NativeOsBox.ENOMEM);
            CheckedAllocator ca;
            try {
                ca = new CheckedAllocator(policy, Map.of(), box);
            } catch (OutOfMemoryError e) { // a policy that prewarms maps at open
                FAULTS.incrementAndGet();
                assertThat(e.getMessage()).contains("ENOMEM");
                assertThat(box.mappedBytes()).as("a failed open leaks no mapping").isZero();
                assertThat(box.violations()).isEmpty();
                continue;
            }
            try (ca) {
                List<Block> kept = new ArrayList<>();
                int ooms = workload(ca, kept);
                FAULTS.addAndGet(box.injected(Op.MMAP));
                assertThat(box.injected(Op.MMAP)).as("the fault fired").isEqualTo(n <= box.calls(Op.MMAP) ? 1 : 0);
                assertThat(ooms).as("one OutOfMemoryError per refused mmap, n = " + n).isEqualTo((int) box.injected(Op.MMAP));
                assertThat(ca.allocator().stats().counter("mmap_calls")).isEqualTo(box.calls(Op.MMAP));
                ca.verifyAll();
                checkAccounting(ca);
                // memory is available again: every size works
                for (long size : SIZES) {
                    kept.add(ca.malloc(size));
                }
                ca.verifyAll();
                for (Block b : kept) {
                    ca.free(b, false);
                }
                ca.checkStep("after freeing everything");
                checkAccounting(ca);
            }
        }
    }

    /** mmap refused for a while (an outage), then available again. */
    @ParameterizedTest
    @MethodSource("policies")
    void mmapOutageThenRecovery(String policy) {
        AuditingOsBox box = new AuditingOsBox();
        try (CheckedAllocator ca = new CheckedAllocator(policy, Map.of(), box)) {
            RUNS.incrementAndGet();
            List<Block> kept = new ArrayList<>();
            for (long size : SIZES) {
                kept.add(ca.malloc(size));
            }
            box.inject(Op.MMAP, 0, Long.MAX_VALUE, NativeOsBox.ENOMEM);
            int ooms = 0;
            for (int i = 0; i < 200; i++) {
                long size = SIZES[i % SIZES.length] + (i / SIZES.length) * 4096L;
                try {
                    kept.add(ca.malloc(size)); // may be served from memory already mapped
                } catch (OutOfMemoryError e) {
                    checkOom(e, size);
                    ooms++;
                }
            }
            FAULTS.addAndGet(box.injected(Op.MMAP));
            assertThat(ooms).isPositive().isEqualTo((int) box.injected(Op.MMAP));
            ca.verifyAll();
            checkAccounting(ca);
            box.heal(Op.MMAP);
            for (int i = 0; i < 100; i++) {
                kept.add(ca.malloc(SIZES[i % SIZES.length] + i * 4096L));
            }
            ca.verifyAll();
            for (Block b : kept) {
                ca.free(b, false);
            }
            ca.checkStep("after recovery");
            checkAccounting(ca);
        }
    }

    /**
     * The first madvise error disables decommit for good (fail fast): decommit_disabled = 1, madvise_errors
     * counted, no further madvise call reaches the OS, no free throws, every live block intact.
     */
    @ParameterizedTest(allowZeroInvocations = true)
    @MethodSource("decommittingPolicies")
    void madviseFailureDisablesDecommit(String policy, int errno) {
        assumeTrue(Reliability.policies().contains(policy));
        AuditingOsBox box = new AuditingOsBox();
        try (CheckedAllocator ca = new CheckedAllocator(policy, Reliability.EAGER_DECOMMIT, box)) {
            RUNS.incrementAndGet();
            box.inject(Op.MADVISE, 0, Long.MAX_VALUE, errno);
            List<Block> keep = new ArrayList<>();
            for (int round = 0; round < 6; round++) {
                // per class: four slabs' worth of blocks; keep the first slab's worth live, free the other three
                // slabs whole, so empty slabs beyond the policy's hysteresis appear while live blocks share the class
                for (long size : new long[] {64, 1024, 4096, 16 * KiB}) {
                    int perSlab = (int) (64 * KiB / size);
                    List<Block> batch = new ArrayList<>();
                    for (int i = 0; i < 4 * perSlab; i++) {
                        batch.add(ca.malloc(size));
                    }
                    for (int i = 0; i < batch.size(); i++) {
                        if (i < perSlab) {
                            keep.add(batch.get(i));
                        } else {
                            ca.free(batch.get(i), false);
                        }
                    }
                }
                ca.checkStep("round " + round);
            }
            AllocatorStats s = ca.allocator().stats();
            assertThat(box.calls(Op.MADVISE)).as("decommit was attempted").isPositive();
            assertThat(box.injected(Op.MADVISE)).as("only the first failure reaches the OS").isEqualTo(1);
            assertThat(s.counter("decommit_disabled")).isEqualTo(1);
            assertThat(s.counter("madvise_errors")).isEqualTo(1);
            assertThat(s.counter("slabs_decommitted")).isZero();
            FAULTS.incrementAndGet();
            ca.verifyAll();
            // still fully usable; decommit stays off even when madvise would work again
            box.heal(Op.MADVISE);
            long callsBefore = box.calls(Op.MADVISE);
            for (Block b : keep) {
                ca.free(b, false);
            }
            for (int i = 0; i < 5000; i++) {
                ca.free(ca.malloc(64 + (i % 50) * 64), false);
            }
            assertThat(box.calls(Op.MADVISE)).as("no madvise once decommit is disabled").isEqualTo(callsBefore);
            ca.checkStep("after healing");
            checkAccounting(ca);
        }
    }

    static java.util.stream.Stream<String> keepingPolicies() {
        return Reliability.policies().stream().filter(p -> !p.equals("lean"));
    }

    /** The policies that keep what they mapped ({@code keep}, {@code balanced}, {@code speed}) never advise. */
    @ParameterizedTest
    @MethodSource("keepingPolicies")
    void keepingPoliciesNeverAdvise(String policy) {
        AuditingOsBox box = new AuditingOsBox();
        try (CheckedAllocator ca = new CheckedAllocator(policy, Reliability.EAGER_DECOMMIT, box)) {
            List<Block> blocks = new ArrayList<>();
            for (int i = 0; i < 20000; i++) {
                blocks.add(ca.malloc(16 + (i % 100) * 40));
            }
            for (Block b : blocks) {
                ca.free(b, false);
            }
            assertThat(box.calls(Op.MADVISE)).isZero();
            ca.checkStep("after churn");
        }
    }

    /** mincore failing makes residentBytes throw naming errno; nothing else changes, and it works again after. */
    @ParameterizedTest
    @MethodSource("policies")
    void mincoreFailure(String policy) {
        AuditingOsBox box = new AuditingOsBox();
        try (CheckedAllocator ca = new CheckedAllocator(policy, Map.of(), box)) {
            RUNS.incrementAndGet();
            List<Block> kept = new ArrayList<>();
            for (long size : SIZES) {
                kept.add(ca.malloc(size));
            }
            long resident = ca.allocator().residentBytes();
            assertThat(resident).isPositive();
            for (int errno : new int[] {NativeOsBox.ENOMEM, NativeOsBox.EAGAIN, NativeOsBox.EINVAL}) {
                box.inject(Op.MINCORE, 0, 1, errno);
                RuntimeException e = expect(RuntimeException.class, () -> ca.allocator().residentBytes(),
                        "residentBytes with mincore failing");
                FAULTS.incrementAndGet();
                assertThat(e.getMessage()).contains("mincore").containsAnyOf("errno", "E");
                assertThat(e.getMessage()).contains(Integer.toString(errno));
                ca.verifyAll();
                kept.add(ca.malloc(777));
            }
            assertThat(ca.allocator().residentBytes()).as("works again").isPositive();
            assertThat(ca.allocator().stats().counter("decommit_disabled")).isZero();
            for (Block b : kept) {
                ca.free(b, false);
            }
            ca.checkStep("after mincore faults");
        }
    }

    /** munmap failing (it cannot, for ranges the allocator mapped, but the box can say so): logged and survived. */
    @ParameterizedTest
    @MethodSource("policies")
    void munmapFailureIsSurvived(String policy) {
        AuditingOsBox box = new AuditingOsBox();
        try (CheckedAllocator ca = new CheckedAllocator(policy, Map.of(), box)) {
            RUNS.incrementAndGet();
            // above balanced's and lean's large-cache bounds, so those unmap it at free; keep and speed cache it
            Block large = ca.malloc(80 * MiB);
            Block small = ca.malloc(100);
            box.inject(Op.MUNMAP, 0, 1, NativeOsBox.EINVAL);
            ca.free(large, false); // must not throw: the user's free succeeded, the range just stays mapped
            boolean cached = ca.allocator().stats().count("large_cached_bytes").current() > 0;
            assertThat(box.injected(Op.MUNMAP)).as("munmap attempted at free (cached: %s)", cached).isEqualTo(cached ? 0 : 1);
            if (!cached) {
                FAULTS.incrementAndGet();
            }
            box.heal(Op.MUNMAP);
            ca.checkStep("after failed munmap");
            checkAccounting(ca);
            Block again = ca.malloc(80 * MiB);
            ca.verifyAll();
            ca.free(again, false);
            ca.free(small, false);
            checkAccounting(ca);
        }
    }
}
