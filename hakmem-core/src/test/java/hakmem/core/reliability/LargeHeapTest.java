package hakmem.core.reliability;

import static hakmem.core.reliability.PromisesTest.audit;
import static hakmem.core.reliability.Reliability.KiB;
import static hakmem.core.reliability.Reliability.MiB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hakmem.api.Allocator;
import hakmem.core.Blocks;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The page heap behind blocks above 1 MiB: spans cut from regions, freed spans coalesced, any size reusing any
 * freed memory without a system call, alignment, and the double-free ring once a region is gone.
 */
class LargeHeapTest {

    private static long current(Allocator a, String name) {
        return a.stats().count(name).current();
    }

    private static long counter(Allocator a, String name) {
        return a.stats().counter(name);
    }

    @Test
    void neighboursCoalesceIntoOneSpanThatServesTheirSum() {
        try (Allocator a = Reliability.open("keep")) {
            long x = a.malloc(2 * MiB);
            long y = a.malloc(2 * MiB);
            long z = a.malloc(2 * MiB);
            long tail = a.malloc(1 * MiB + 1); // keeps the free space after z apart
            assertThat(y).isEqualTo(x + 2 * MiB);
            assertThat(z).isEqualTo(y + 2 * MiB);
            long cached = current(a, "large_cached_bytes");
            a.free(x);
            a.free(z);
            audit(a);
            a.free(y); // merges with both neighbours
            audit(a);
            assertThat(current(a, "large_cached_bytes")).isEqualTo(cached + 6 * MiB);
            long mmaps = counter(a, "mmap_calls");
            long big = a.malloc(6 * MiB);
            assertThat(big).as("the three freed spans, merged").isEqualTo(x);
            assertThat(counter(a, "mmap_calls")).isEqualTo(mmaps);
            Blocks.fill(big, 6 * MiB);
            Blocks.check(big, 6 * MiB);
            a.free(big);
            a.free(tail);
            assertThat(current(a, "large_blocks")).isZero();
            audit(a);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"keep", "speed", "balanced"})
    void blocksOfEverySizeReuseFreedMemoryWithoutSystemCallsOnceWarm(String policy) {
        try (Allocator a = Reliability.open(policy)) {
            SplittableRandom rng = new SplittableRandom(42);
            long[] slot = new long[20];
            long[] size = new long[20];
            long mmaps = 0;
            long munmaps = 0;
            for (int op = 0; op < 30_000; op++) {
                if (op == 10_000) { // warm: the regions the working set needs are mapped
                    mmaps = counter(a, "mmap_calls");
                    munmaps = counter(a, "munmap_calls");
                }
                int i = rng.nextInt(slot.length);
                if (slot[i] != 0) {
                    Blocks.check(slot[i], size[i]);
                    a.free(slot[i]);
                }
                size[i] = MiB + 1 + rng.nextLong(7 * MiB); // 1 MiB + 1 .. 8 MiB: every block from the page heap
                slot[i] = a.malloc(size[i]);
                Blocks.fill(slot[i], size[i]);
            }
            assertThat(counter(a, "munmap_calls") - munmaps).as("munmaps in the last 20,000 ops").isZero();
            assertThat(counter(a, "mmap_calls") - mmaps).as("mmaps in the last 20,000 ops").isLessThanOrEqualTo(2);
            assertThat(current(a, "large_mappings")).as("regions for 20 blocks of at most 8 MiB").isLessThanOrEqualTo(8);
            audit(a);
            for (int i = 0; i < slot.length; i++) {
                Blocks.check(slot[i], size[i]);
                a.free(slot[i]);
            }
            assertThat(current(a, "large_blocks")).isZero();
            audit(a);
        }
    }

    @Test
    void alignedLargeSegmentsKeepTheirHeadAndTailFree() {
        try (Allocator a = Reliability.open("keep")) {
            long pad = a.malloc(1 * MiB + 64 * KiB); // the region's start is taken: the next span is not 1 MiB aligned
            MemorySegment s = a.allocate(3 * MiB, 1 * MiB);
            assertThat(s.address() % MiB).isZero();
            assertThat(s.byteSize()).isEqualTo(3 * MiB);
            MemorySegment t = a.allocate(2 * MiB + 1, 512 * KiB);
            assertThat(t.address() % (512 * KiB)).isZero();
            s.fill((byte) 5);
            t.fill((byte) 6);
            audit(a);
            a.free(s);
            a.free(t);
            a.free(pad);
            assertThat(current(a, "large_blocks")).isZero();
            audit(a);
        }
    }

    @Test
    void aRegionOfItsOwnForARequestAboveTheLargestRegionIsReusedBySmallerOnes() {
        try (Allocator a = Reliability.open("balanced")) {
            long p = a.malloc(100 * MiB);
            assertThat(a.usableSize(p)).isEqualTo(100 * MiB);
            assertThat(current(a, "large_mappings")).isEqualTo(1);
            Blocks.fill(p, 100 * MiB);
            a.free(p); // kept: balanced keeps empty regions up to twice the recent peak of live large bytes
            assertThat(current(a, "large_mappings")).isEqualTo(1);
            assertThatThrownBy(() -> a.free(p)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("double free");
            long mmaps = counter(a, "mmap_calls");
            long q = a.malloc(60 * MiB);
            long r = a.malloc(30 * MiB);
            assertThat(q).isEqualTo(p);
            assertThat(r).isEqualTo(p + 60 * MiB);
            assertThat(counter(a, "mmap_calls")).isEqualTo(mmaps);
            a.free(q);
            a.free(r);
            audit(a);
        }
    }

    @Test
    void leanDecommitsOnlyTheIdlePartOfAMergedSpan() throws Exception {
        // delay 200 ms: the ticker decommits free units idle that long; a fresh free merged into the same span stays
        try (Allocator a = Reliability.open("lean", java.util.Map.of("ss.mem.lean.delay.ms", "200", "lean.keep.slabs", "0",
                "lean.keep.idle.ms", "0"))) {
            long old = a.malloc(4 * MiB);
            long fresh = a.malloc(4 * MiB);
            long guard = a.malloc(2 * MiB);
            Blocks.ALL.asSlice(old, 4 * MiB).fill((byte) 1);
            Blocks.ALL.asSlice(fresh, 4 * MiB).fill((byte) 2);
            a.free(old);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (a.stats().counter("large_decommits") == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(a.stats().counter("bytes_decommitted")).as("the idle block").isGreaterThanOrEqualTo(4 * MiB);
            long before = a.stats().counter("bytes_decommitted");
            a.free(fresh); // merges with the decommitted span: one span, half idle, half just freed
            long resident = a.residentBytes();
            assertThat(resident).as("the just-freed half is still resident").isGreaterThanOrEqualTo(4 * MiB);
            deadline = System.nanoTime() + 5_000_000_000L;
            while (a.stats().counter("bytes_decommitted") == before && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(a.stats().counter("bytes_decommitted") - before).as("only the newly idle part, once idle")
                    .isEqualTo(4 * MiB);
            a.free(guard);
            audit(a);
        }
    }

    @Test
    void everyFreedBlockIsADoubleFreeUntilReusedAndAllCountersBalance() {
        try (Allocator a = Reliability.open("speed")) {
            List<Long> blocks = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                blocks.add(a.malloc(MiB + 1 + i * 200 * KiB));
            }
            for (int i = 0; i < blocks.size(); i += 2) {
                a.free(blocks.get(i));
            }
            for (int i = 0; i < blocks.size(); i += 2) {
                long p = blocks.get(i);
                assertThatThrownBy(() -> a.free(p)).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("double free");
                assertThatThrownBy(() -> a.free(p + 64 * KiB)).isInstanceOf(IllegalArgumentException.class);
            }
            assertThat(a.stats().counter("double_frees")).isEqualTo(6);
            assertThat(current(a, "large_blocks")).isEqualTo(6);
            audit(a);
            for (int i = 1; i < blocks.size(); i += 2) {
                a.free(blocks.get(i));
            }
            assertThat(current(a, "large_blocks")).isZero();
            assertThat(current(a, "large_cached_bytes")).as("everything free: the regions, whole")
                    .isEqualTo(current(a, "mapped_bytes") - current(a, "superslabs") * 2 * MiB);
            audit(a);
        }
    }
}
