package hakmem.core.policy;

import static hakmem.core.policy.Allocators.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import hakmem.api.Allocator;
import hakmem.api.AllocatorStats;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * What each policy does to resident memory, measured with the real {@code mincore} over the allocator's own
 * mappings ({@link Allocator#residentBytes()}). Waits poll with a generous timeout; nothing here asserts speed.
 */
class ResidentMemoryTest {

    static final long BURST = 64 * MIB;
    static final int WORKING_SET = 400;
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final long PAGE = 4096;
    static final long SLAB = 64 * 1024;

    /** A small working set (Mixed WS=400-like: 400 blocks of 16..1024 B), then a 64 MiB burst freed again. */
    static final class Burst {
        final Allocator allocator;
        final long[] workingSet = new long[WORKING_SET];
        long[] burst;
        long residentWorkingSet;
        long residentPeak;

        Burst(Allocator allocator) {
            this.allocator = allocator;
        }

        Burst workingSet() {
            SplittableRandom rng = new SplittableRandom(1);
            for (int i = 0; i < WORKING_SET; i++) {
                workingSet[i] = touch(allocator.malloc(16 + rng.nextInt(1009)), 16);
            }
            residentWorkingSet = allocator.residentBytes();
            return this;
        }

        Burst grow() {
            SplittableRandom rng = new SplittableRandom(2);
            long[] blocks = new long[(int) (BURST / 512)];
            long total = 0;
            int n = 0;
            while (total < BURST) {
                long size = rng.nextInt(4) == 0 ? 1025 + rng.nextInt(3 * 1024) : 16 + rng.nextInt(1009);
                blocks[n++] = touch(allocator.malloc(size), size);
                total += size;
            }
            burst = java.util.Arrays.copyOf(blocks, n);
            residentPeak = allocator.residentBytes();
            return this;
        }

        Burst shrink() {
            for (long a : burst) {
                allocator.free(a);
            }
            return this;
        }

        static long touch(long address, long size) {
            MemorySegment.ofAddress(address).reinterpret(size).fill((byte) 0x5A);
            return address;
        }
    }

    static Allocator open(String policy, Map<String, String> options) {
        return Allocators.open(policy, options);
    }

    @Test
    void speedIsResidentRightAfterOpen() {
        try (Allocator a = open("speed", Map.of())) {
            AllocatorStats s = a.stats();
            assertThat(s.counter("superslabs_prewarmed")).isEqualTo(8);
            assertThat(s.count("superslabs").current()).isGreaterThanOrEqualTo(8);
            assertThat(a.residentBytes()).as("prewarmed C0..C7 are touched").isGreaterThanOrEqualTo(8 * PAGE);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lean", "balanced"})
    void leanAndBalancedAreNotResidentAfterOpen(String policy) {
        long speedResident;
        try (Allocator speed = open("speed", Map.of())) {
            speedResident = speed.residentBytes();
        }
        try (Allocator a = open(policy, Map.of())) {
            AllocatorStats s = a.stats();
            assertThat(s.counter("superslabs_prewarmed")).isZero();
            assertThat(s.count("superslabs").current()).isZero();
            assertThat(a.residentBytes()).isLessThan(speedResident).isLessThan(8 * PAGE);
        }
    }

    @Test
    void leanReturnsABurstAtOnce() {
        try (Allocator a = open("lean", Map.of())) {
            Burst b = new Burst(a).workingSet().grow();
            assertThat(b.residentPeak).isGreaterThan(BURST / 2);
            b.shrink();
            long bound = bound(b);
            // DONTNEED on the free path: already down, no ticker involved; poll only to be lenient with mincore
            await(() -> a.residentBytes() <= bound, "resident <= " + bound + " after the burst", a);
            AllocatorStats s = a.stats();
            assertThat(s.counter("lean_decommit")).isPositive();
            assertThat(s.counter("lean_bytes_decommitted")).isEqualTo(s.counter("bytes_decommitted"));
            assertThat(s.counter("lean_retire")).isEqualTo(s.counter("superslabs_retired")).isPositive();
            assertThat(s.counter("lean_prewarm_skipped")).isEqualTo(8);
            for (long w : b.workingSet) {
                a.free(w);
            }
        }
    }

    @Test
    void leanReturnsABurstAfterTheDelayWhileTheProcessIsIdle() {
        long delayMs = 200;
        try (Allocator a = open("lean", Map.of("ss.mem.lean.delay.ms", Long.toString(delayMs)))) {
            Burst b = new Burst(a).workingSet().grow();
            long freeStart = System.nanoTime();
            b.shrink();
            AllocatorStats early = a.stats();
            if (System.nanoTime() - freeStart < Duration.ofMillis(delayMs).toNanos()) {
                // nothing has been empty for the delay yet, so nothing can have been released
                assertThat(early.counter("lean_decommit")).isZero();
                assertThat(early.counter("slabs_decommitted")).isZero();
                assertThat(early.counter("superslabs_retired")).isZero();
            }
            long bound = bound(b);
            // no allocator calls from here on: only the ticker can give the memory back
            await(() -> a.residentBytes() <= bound, "resident <= " + bound + " with an idle process", a);
            assertThat(a.stats().counter("lean_decommit")).isPositive();
        }
    }

    @Test
    void anIdleLeanAllocatorKeepsNothingInItsPools() {
        // the hysteresis (one kept slab and one kept superslab per class) is reaped after lean.keep.idle.ms; what
        // stays is the slabs thread heaps hold as their current ones, which no policy can reach (see the report)
        try (Allocator a = open("lean", Map.of("lean.keep.idle.ms", "200"))) {
            Burst b = new Burst(a).workingSet().grow().shrink();
            for (long w : b.workingSet) {
                a.free(w);
            }
            await(() -> {
                AllocatorStats s = a.stats();
                long heapSlabs = s.count("slabs_in_use").current();
                return a.residentBytes() <= heapSlabs * SLAB && s.count("superslabs").current() <= heapSlabs;
            }, "only the heaps' current slabs resident and mapped once everything is free and idle", a);
            assertThat(a.stats().count("slabs_in_use").current()).isLessThanOrEqualTo(28);
        }
    }

    @Test
    void withoutReapingLeanKeepsOnlyItsHysteresis() throws InterruptedException {
        // one kept slab per class (the default keeps 8): the bound below counts one per class
        try (Allocator a = open("lean", Map.of("lean.keep.idle.ms", "0", "lean.keep.slabs", "1"))) {
            Burst b = new Burst(a).workingSet().grow().shrink();
            for (long w : b.workingSet) {
                a.free(w);
            }
            Thread.sleep(300);
            AllocatorStats s = a.stats();
            long heapSlabs = s.count("slabs_in_use").current();
            // the heaps' current slabs, plus at most one kept slab and one kept superslab per class
            assertThat(a.residentBytes()).isPositive().isLessThanOrEqualTo((heapSlabs + 28) * SLAB);
            assertThat(s.count("superslabs").current()).isLessThanOrEqualTo(heapSlabs + 28);
            assertThat(s.counter("lean_retire")).isPositive();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"balanced", "speed", "keep"})
    void balancedAndSpeedKeepTheBurst(String policy) throws InterruptedException {
        try (Allocator a = open(policy, Map.of("ss.mem.lean.delay.ms", "20"))) {
            Burst b = new Burst(a).workingSet().grow();
            b.shrink();
            Thread.sleep(100); // a ticker, if one ran by mistake, had time to release
            long after = a.residentBytes();
            assertThat(after).as("resident after the burst was freed").isGreaterThanOrEqualTo(b.residentPeak * 9 / 10);
            AllocatorStats s = a.stats();
            assertThat(s.counter("madvise_calls")).isZero();
            assertThat(s.counter("superslabs_retired")).isZero();
        }
    }

    @Test
    void balancedCountsTheSkippedPrewarms() {
        try (Allocator a = open("balanced", Map.of())) {
            new Burst(a).workingSet().grow().shrink();
            assertThat(a.stats().counter("lean_prewarm_skipped")).isEqualTo(8);
        }
    }

    /** Near the working set: what it took, plus a little per class (kept slab, metadata), far below the burst. */
    static long bound(Burst b) {
        return Math.max(b.residentWorkingSet * 2, b.residentWorkingSet + 4 * MIB);
    }

    static void await(java.util.function.BooleanSupplier condition, String what, Allocator a) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + TIMEOUT + " waiting for " + what + "; resident "
                        + a.residentBytes() + ", stats " + a.stats().toJson());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
