package hakmem.core.alloc;

import static org.assertj.core.api.Assertions.assertThat;

import hakmem.api.spi.ReleaseHandle;
import hakmem.api.spi.ReleasePolicy;
import hakmem.core.os.NativeOsBox;
import hakmem.core.os.OsLayer;
import hakmem.core.stats.Stat;
import hakmem.core.stats.Stats;
import hakmem.core.stats.StderrStatsSink;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * {@code metadata_bytes}: the layout estimates against the bytes the JVM really allocates for each structure (the
 * thread's allocated-bytes counter), the stat following superslabs, heaps and large blocks, and the figures per
 * live byte that docs/allocator.md quotes.
 */
class MetadataSizeTest {

    private static final ReleasePolicy KEEP = (slab, superSlabEmpty, handle) -> { };

    /** Bytes the current thread allocates on the Java heap while making {@code make}'s object (kept reachable). */
    private static long measured(Supplier<Object> make) throws Exception {
        Object bean = ManagementFactory.getThreadMXBean();
        Method allocated = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
        List<Object> keep = new ArrayList<>(16);
        long best = Long.MAX_VALUE;
        long overhead = Long.MAX_VALUE; // what the measuring itself allocates (the boxed result of the call)
        for (int round = 0; round < 5; round++) { // the smallest of a few: a round may also allocate JIT/loader bytes
            long before = (long) allocated.invoke(bean);
            long after = (long) allocated.invoke(bean);
            overhead = Math.min(overhead, after - before);
            before = (long) allocated.invoke(bean);
            keep.add(make.get());
            after = (long) allocated.invoke(bean);
            best = Math.min(best, after - before);
        }
        assertThat(keep).hasSize(5);
        return best - overhead;
    }

    @Test
    void estimatesMatchWhatTheJvmAllocates() throws Exception {
        for (int c : new int[] {0, 1, 4, 7, 12, SizeClasses.COUNT - 1}) {
            long est = MetadataSize.superSlab(c);
            long real = measured(() -> new SuperSlab(this, 1L << 40, c));
            assertThat((double) est).as("superslab of class %d: estimate %d, allocated %d", c, est, real)
                    .isBetween(real * 0.9, real * 1.1 + 64);
        }
        long heap = measured(() -> new Heap(null));
        assertThat((double) MetadataSize.HEAP).as("heap: allocated %d", heap).isBetween(heap * 0.8, heap * 1.2);
        long large = measured(() -> new Slab(this, 1L << 40, 1L << 21));
        assertThat((double) MetadataSize.LARGE_SLAB).as("large slab: allocated %d", large).isBetween(large * 0.8, large * 1.2);
    }

    @Test
    void theStatFollowsTheStructuresAndPrintsPerLiveByte() {
        Stats stats = new Stats(List.of());
        List<String> lines = new ArrayList<>();
        List<Double> perLiveByte = new ArrayList<>();
        try (HakmemAllocator a = new HakmemAllocator("keep", KEEP, new OsLayer(new NativeOsBox(), stats), stats,
                new StderrStatsSink(), false, List.of())) {
            assertThat(stats.get(Stat.METADATA_BYTES)).isZero();
            for (long size : new long[] {16, 1024, 64 << 10, 1 << 20, 4 << 20}) {
                long before = stats.get(Stat.METADATA_BYTES);
                long live = 0;
                List<Long> blocks = new ArrayList<>();
                while (live < (32 << 20)) { // 32 MiB of live data of this size
                    blocks.add(a.malloc(size));
                    live += size;
                }
                long meta = stats.get(Stat.METADATA_BYTES) - before;
                assertThat(meta).as("metadata of %d-byte blocks", size).isPositive();
                lines.add(String.format(Locale.ROOT, "%8d B blocks: %,d metadata bytes for %,d live bytes = %.5f per live byte",
                        size, meta, live, (double) meta / live));
                perLiveByte.add((double) meta / live);
                for (long p : blocks) {
                    a.free(p);
                }
                a.trim();
            }
            assertThat(stats.get(Stat.HEAPS)).isEqualTo(1);
        }
        assertThat(stats.get(Stat.METADATA_BYTES)).as("after close").isZero();
        lines.forEach(System.out::println); // the figures in docs/allocator.md
        // tiny blocks: an int and a short per block, so 16-byte blocks cost about 6/16 of a byte per byte
        assertThat(perLiveByte.getFirst()).isBetween(0.37, 0.40);
        // large blocks: a slab object per block and the region's tables, about 12 bytes per 64 KiB unit (1.9e-4)
        assertThat(perLiveByte.getLast()).isBetween(1e-4, 5e-4);
    }
}
