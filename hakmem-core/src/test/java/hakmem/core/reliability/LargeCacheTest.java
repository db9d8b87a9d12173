package hakmem.core.reliability;

import static hakmem.core.reliability.PromisesTest.audit;
import static hakmem.core.reliability.Reliability.KiB;
import static hakmem.core.reliability.Reliability.MiB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hakmem.api.Allocator;
import hakmem.core.Blocks;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Blocks above the largest size class: freed mappings are cached for reuse, the policy bounds and decays the cache,
 * a double free of a cached block is caught, close unmaps the cache too.
 */
class LargeCacheTest {

    private static long current(Allocator a, String name) {
        return a.stats().count(name).current();
    }

    private static long counter(Allocator a, String name) {
        return a.stats().counter(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"keep", "speed", "balanced"})
    void aFreedMappingIsReusedWithoutASystemCall(String policy) {
        try (Allocator a = Reliability.open(policy)) {
            long p = a.malloc(2_900_000);
            Blocks.fill(p, 2_900_000);
            assertThat(a.usableSize(p)).as("2.9 MB rounds up to 64 KiB units").isEqualTo(45 * 64 * KiB);
            a.free(p);
            long mmaps = counter(a, "mmap_calls");
            long munmaps = counter(a, "munmap_calls");
            long q = a.malloc(2_700_000); // fits the freed span
            assertThat(q).isEqualTo(p);
            assertThat(counter(a, "mmap_calls")).isEqualTo(mmaps);
            assertThat(counter(a, "munmap_calls")).isEqualTo(munmaps);
            assertThat(counter(a, "large_cache_hits")).isEqualTo(1);
            audit(a);
            a.free(q);
            assertThat(current(a, "large_cached_bytes")).as("the whole region is free again")
                    .isEqualTo(current(a, "mapped_bytes") - current(a, "superslabs") * 2 * MiB);
            assertThat(current(a, "large_blocks")).isZero();
            audit(a);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"keep", "speed", "balanced"})
    void aDoubleFreeOfACachedBlockIsCaughtWhateverCameBetween(String policy) {
        try (Allocator a = Reliability.open(policy)) {
            long p = a.malloc(1536 * KiB);
            long guard = a.malloc(2 * MiB); // after p: p's span stays a hole of its own
            a.free(p);
            List<Long> others = new ArrayList<>();
            for (int i = 0; i < 10; i++) { // too long for p's hole, 23 MiB in all: within every bound
                others.add(a.malloc(2 * MiB + i * 64 * KiB));
            }
            for (long o : others) {
                assertThat(o).isNotEqualTo(p);
                a.free(o);
            }
            assertThatThrownBy(() -> a.free(p)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already free (double free)");
            assertThat(counter(a, "double_frees")).isEqualTo(1);
            audit(a);
            a.free(guard);
            audit(a);
        }
    }

    @Test
    void balancedKeepsTheRegionsOfItsRecentPeakWithoutUnmapping() {
        try (Allocator a = Reliability.open("balanced")) {
            List<Long> blocks = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                blocks.add(a.malloc(2 * MiB));
            }
            long munmaps = counter(a, "munmap_calls");
            long regions = current(a, "large_mappings");
            for (long p : blocks) {
                a.free(p);
            }
            // 200 MiB were live a moment ago: the bound is 400 MiB, every region stays for the working set's return
            assertThat(counter(a, "munmap_calls")).isEqualTo(munmaps);
            assertThat(current(a, "large_mappings")).isEqualTo(regions).isLessThanOrEqualTo(7); // 8, 8, 16, 32, 64, 64, 64 MiB
            assertThat(current(a, "large_cached_bytes")).isGreaterThanOrEqualTo(200 * MiB).isLessThanOrEqualTo(400 * MiB);
            long mmaps = counter(a, "mmap_calls");
            for (int i = 0; i < 100; i++) {
                blocks.set(i, a.malloc(2 * MiB));
            }
            assertThat(counter(a, "mmap_calls")).as("the working set came back: no mmap").isEqualTo(mmaps);
            for (long p : blocks) {
                a.free(p);
            }
            audit(a);
        }
    }

    @Test
    void leanDecommitsFreedMappingsAtOnceAndTheirReuseReadsZero() {
        try (Allocator a = Reliability.open("lean", Map.of("ss.mem.lean.delay.ms", "0", "lean.keep.slabs", "0"))) {
            List<Long> blocks = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                long p = a.malloc(2 * MiB);
                Blocks.ALL.asSlice(p, 2 * MiB).fill((byte) 0x33);
                blocks.add(p);
            }
            long resident = a.residentBytes();
            assertThat(resident).isGreaterThanOrEqualTo(16 * MiB);
            for (long p : blocks) {
                a.free(p);
            }
            assertThat(a.residentBytes()).as("resident after freeing 16 MiB of large blocks").isLessThan(2 * MiB);
            assertThat(counter(a, "munmap_calls")).as("kept mapped, not unmapped").isLessThan(8);
            long z = a.calloc(1, 2 * MiB); // a decommitted (DONTNEED) cached mapping: zero without being written
            assertThat(blocks).contains(z);
            assertThat(a.residentBytes()).isLessThan(2 * MiB);
            assertThat(Blocks.ALL.get(ValueLayout.JAVA_LONG, z + MiB)).isZero();
            a.free(z);
            audit(a);
        }
    }

    @Test
    void leanUnmapsTheCacheOnceIdle() throws Exception {
        try (Allocator a = Reliability.open("lean", Map.of("ss.mem.lean.delay.ms", "20", "lean.keep.idle.ms", "60"))) {
            List<Long> blocks = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                blocks.add(a.malloc(3 * MiB));
            }
            for (long p : blocks) {
                a.free(p);
            }
            assertThat(current(a, "large_cached_bytes")).isPositive();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (current(a, "large_cached_bytes") > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(current(a, "large_cached_bytes")).as("cached bytes once idle").isZero();
            assertThat(current(a, "large_mappings")).isZero();
            audit(a);
        }
    }

    @Test
    void callocOfAReusedDirtyMappingIsZeroed() {
        try (Allocator a = Reliability.open("balanced")) {
            long p = a.malloc(2 * MiB);
            Blocks.ALL.asSlice(p, 2 * MiB).fill((byte) 0x7F);
            a.free(p);
            long z = a.calloc(2048, 1024);
            assertThat(z).isEqualTo(p);
            for (long off = 0; off < 2 * MiB; off += 4096) {
                assertThat(Blocks.ALL.get(ValueLayout.JAVA_BYTE, z + off)).isZero();
            }
            a.free(z);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"keep", "speed", "balanced", "lean"})
    void closeUnmapsTheCacheToo(String policy) {
        Allocator a = Reliability.open(policy);
        for (int i = 0; i < 20; i++) {
            a.free(a.malloc(100 * KiB + i * 256 * KiB)); // medium classes and large blocks
        }
        a.close();
        assertThat(current(a, "mapped_bytes")).isZero();
        assertThat(a.stats().counter("munmap_bytes")).isEqualTo(a.stats().counter("mmap_bytes"));
        assertThat(current(a, "large_cached_bytes")).isZero();
    }
}
