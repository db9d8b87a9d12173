package hakmem.core.alloc;

import static org.assertj.core.api.Assertions.assertThat;

import hakmem.api.spi.Advice;
import hakmem.api.spi.EmptySlab;
import hakmem.api.spi.ReleaseHandle;
import hakmem.api.spi.ReleasePolicy;
import hakmem.core.Blocks;
import hakmem.core.FaultyOs;
import hakmem.core.os.OsLayer;
import hakmem.core.stats.Stats;
import hakmem.core.stats.StderrStatsSink;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Decommit and retire driven through the release handle, with the real OS and with injected madvise failures. */
class DecommitTest {

    /** Decommits every empty slab at once and retires every empty superslab. */
    static final class Aggressive implements ReleasePolicy {
        final List<EmptySlab> seen = new ArrayList<>();

        @Override
        public synchronized void onSlabEmpty(EmptySlab slab, boolean superSlabEmpty, ReleaseHandle handle) {
            seen.add(slab);
            handle.decommitEmpty(slab.sizeClass(), 0, 0, Advice.DONTNEED);
            if (superSlabEmpty) {
                handle.retireEmptySuperSlabs(slab.sizeClass(), 0, 0);
            }
        }
    }

    private static HakmemAllocator open(ReleasePolicy policy, FaultyOs os, Stats stats) {
        return new HakmemAllocator("test", policy, new OsLayer(os, stats), stats, new StderrStatsSink(), false, List.of());
    }

    @Test
    void emptySlabsAreDecommittedAndSuperslabsRetired() {
        Stats stats = new Stats(List.of());
        Aggressive policy = new Aggressive();
        try (HakmemAllocator a = open(policy, new FaultyOs(), stats)) {
            long[] keep = new long[10];
            for (int i = 0; i < keep.length; i++) {
                keep[i] = a.malloc(200);
                Blocks.fill(keep[i], 200);
            }
            List<Long> burst = new ArrayList<>();
            for (int i = 0; i < 40_000; i++) { // ~10 MiB of 256-byte blocks: 5 superslabs
                long p = a.malloc(200);
                Blocks.fill(p, 200);
                burst.add(p);
            }
            long peak = a.residentBytes();
            assertThat(peak).isGreaterThan(8L << 20);
            for (long p : burst) {
                Blocks.check(p, 200);
                a.free(p);
            }
            long after = a.residentBytes();
            assertThat(after).isLessThan(1L << 20);
            for (int i = 0; i < keep.length; i++) {
                Blocks.check(keep[i], 200);
            }
            var st = a.stats();
            assertThat(st.counter("slabs_decommitted")).isPositive();
            assertThat(st.counter("superslabs_retired")).isPositive();
            assertThat(st.count("superslabs").current()).isLessThan(st.count("superslabs").peak());
            assertThat(policy.seen).isNotEmpty();
            // memory comes back after decommit and retire
            for (int i = 0; i < 20_000; i++) {
                long p = a.malloc(200);
                Blocks.fill(p, 200);
                Blocks.check(p, 200);
            }
        }
    }

    @Test
    void madviseErrorDisablesDecommitAndLosesNoData() {
        Stats stats = new Stats(List.of());
        FaultyOs os = new FaultyOs();
        os.madviseErrno = 22; // EINVAL
        try (HakmemAllocator a = open(new Aggressive(), os, stats)) {
            List<Long> live = new ArrayList<>();
            List<Long> burst = new ArrayList<>();
            for (int i = 0; i < 30_000; i++) {
                long p = a.malloc(200);
                Blocks.fill(p, 200);
                (i % 1000 == 0 ? live : burst).add(p);
            }
            for (long p : burst) {
                Blocks.check(p, 200);
                a.free(p);
            }
            for (long p : live) {
                Blocks.check(p, 200);
            }
            var st = a.stats();
            assertThat(st.counter("madvise_errors")).isEqualTo(1);
            assertThat(st.counter("decommit_disabled")).isEqualTo(1);
            assertThat(os.madviseCalls.get()).as("fail fast: no madvise after the first error").isEqualTo(1);
            assertThat(st.counter("slabs_decommitted")).isZero();
        }
    }
}
