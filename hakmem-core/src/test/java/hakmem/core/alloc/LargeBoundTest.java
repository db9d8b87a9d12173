package hakmem.core.alloc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hakmem.api.spi.EmptySlab;
import hakmem.api.spi.ReleaseHandle;
import hakmem.api.spi.ReleasePolicy;
import hakmem.core.Blocks;
import hakmem.core.FaultyOs;
import hakmem.core.os.OsLayer;
import hakmem.core.stats.Stat;
import hakmem.core.stats.Stats;
import hakmem.core.stats.StderrStatsSink;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bound a policy sets on the empty regions of the large heap, applied at each free. */
class LargeBoundTest {

    private static final long MiB = 1 << 20;

    /** Keeps at most {@code bound} bytes of empty large regions; nothing else. */
    record Bounded(long bound) implements ReleasePolicy {
        @Override
        public void onSlabEmpty(EmptySlab slab, boolean superSlabEmpty, ReleaseHandle handle) {
        }

        @Override
        public long largeCacheBytes(long liveLargeBytes) {
            return bound;
        }
    }

    @Test
    void emptyRegionsBeyondTheBoundAreUnmappedTheLongestEmptyFirstAndTheirBlocksStayDoubleFrees() {
        Stats stats = new Stats(List.of());
        try (HakmemAllocator a = new HakmemAllocator("test", new Bounded(16 * MiB), new OsLayer(new FaultyOs(), stats), stats,
                new StderrStatsSink(), false, List.of())) {
            long x = a.malloc(20 * MiB); // a region of 20 MiB each: the request is above the first region's size
            long y = a.malloc(20 * MiB);
            long z = a.malloc(6 * MiB); // a third region, 40 MiB (as large as all so far)
            Blocks.fill(x, 20 * MiB);
            assertThat(stats.get(Stat.LARGE_MAPPINGS)).isEqualTo(3);
            long munmaps = stats.get(Stat.MUNMAP_CALLS);
            a.free(x); // 20 MiB empty > 16: unmapped at once
            assertThat(stats.get(Stat.LARGE_MAPPINGS)).isEqualTo(2);
            assertThat(stats.get(Stat.MUNMAP_CALLS)).isEqualTo(munmaps + 1);
            a.free(y); // the same
            a.free(z); // 40 MiB empty > 16: unmapped
            assertThat(stats.get(Stat.LARGE_MAPPINGS)).isZero();
            assertThat(stats.get(Stat.LARGE_CACHED_BYTES)).isZero();
            assertThat(stats.get(Stat.MAPPED_BYTES)).isEqualTo(stats.get(Stat.SUPERSLABS) * SizeClasses.SUPERSLAB_BYTES);
            assertThatThrownBy(() -> a.free(x)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("double free").hasMessageContaining("mapping is gone");
            assertThat(a.audit()).isEmpty();
            long w = a.malloc(4 * MiB); // a region as large as the most all regions held together: 80 MiB, at most 64
            long v = a.malloc(4 * MiB);
            assertThat(v).isEqualTo(w + 4 * MiB);
            a.free(v);
            assertThat(stats.get(Stat.LARGE_MAPPINGS)).as("not empty: kept").isEqualTo(1);
            a.free(w); // 64 MiB empty > 16: unmapped
            assertThat(stats.get(Stat.LARGE_MAPPINGS)).isZero();
            assertThat(a.audit()).isEmpty();
        }
    }

    @Test
    void aBoundThatHoldsAnEmptyRegionKeepsItForTheNextRequest() {
        Stats stats = new Stats(List.of());
        try (HakmemAllocator a = new HakmemAllocator("test", new Bounded(64 * MiB), new OsLayer(new FaultyOs(), stats), stats,
                new StderrStatsSink(), false, List.of())) {
            long x = a.malloc(3 * MiB);
            a.free(x);
            long mmaps = stats.get(Stat.MMAP_CALLS);
            assertThat(a.malloc(5 * MiB)).isEqualTo(x);
            assertThat(stats.get(Stat.MMAP_CALLS)).isEqualTo(mmaps);
            assertThat(stats.get(Stat.LARGE_CACHE_HITS)).isEqualTo(1);
        }
    }

    @Test
    void aRegionTheOsRefusesChangesNothingAndTheHeapKeepsServing() {
        Stats stats = new Stats(List.of());
        FaultyOs os = new FaultyOs();
        try (HakmemAllocator a = new HakmemAllocator("test", new Bounded(64 * MiB), new OsLayer(os, stats), stats,
                new StderrStatsSink(), false, List.of())) {
            long x = a.malloc(6 * MiB); // the first region: 8 MiB
            Blocks.fill(x, 6 * MiB);
            long mapped = stats.get(Stat.MAPPED_BYTES);
            long cached = stats.get(Stat.LARGE_CACHED_BYTES);
            os.mmapFailuresLeft.set(1);
            assertThatThrownBy(() -> a.malloc(6 * MiB)).isInstanceOf(OutOfMemoryError.class)
                    .hasMessageContaining("cannot allocate 6291456 bytes");
            // the failed request left every structure and count as it was
            assertThat(a.audit()).isEmpty();
            assertThat(stats.get(Stat.MAPPED_BYTES)).isEqualTo(mapped);
            assertThat(stats.get(Stat.LARGE_CACHED_BYTES)).isEqualTo(cached);
            assertThat(stats.get(Stat.LARGE_BLOCKS)).isEqualTo(1);
            assertThat(stats.get(Stat.LARGE_MAPPINGS)).isEqualTo(1);
            // and the heap keeps serving: from the free span it has, then from a new region once the OS agrees
            long y = a.malloc(2 * MiB);
            long z = a.malloc(6 * MiB);
            Blocks.fill(y, 2 * MiB);
            Blocks.fill(z, 6 * MiB);
            Blocks.check(x, 6 * MiB);
            assertThat(stats.get(Stat.LARGE_MAPPINGS)).isEqualTo(2);
            a.free(x);
            a.free(y);
            Blocks.check(z, 6 * MiB);
            a.free(z);
            assertThat(stats.get(Stat.LARGE_BLOCKS)).isZero();
            assertThat(a.audit()).isEmpty();
        }
    }
}
