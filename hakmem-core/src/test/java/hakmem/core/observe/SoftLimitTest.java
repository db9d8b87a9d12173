package hakmem.core.observe;

import static hakmem.core.observe.Open.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hakmem.api.spi.ReleaseHandle;
import hakmem.api.spi.ReleasePolicy;
import hakmem.api.spi.SizeClass;
import hakmem.core.Blocks;
import hakmem.core.alloc.HakmemAllocator;
import hakmem.core.os.NativeOsBox;
import hakmem.core.os.OsLayer;
import hakmem.core.stats.StderrStatsSink;
import hakmem.core.stats.Stats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The soft limit: a workload that crosses it, with a policy that ignores it and one that answers it. */
class SoftLimitTest {

    /** Allocates {@code bytes} of {@code size}-byte blocks (filled), returns them. */
    private static List<Long> fill(HakmemAllocator a, long size, long bytes) {
        List<Long> out = new ArrayList<>();
        for (long done = 0; done < bytes; done += size) {
            long p = a.malloc(size);
            Blocks.fill(p, size);
            out.add(p);
        }
        return out;
    }

    private static void freeAll(HakmemAllocator a, List<Long> blocks, long size) {
        for (long p : blocks) {
            Blocks.check(p, size);
            a.free(p);
        }
    }

    @Test
    void aPolicyThatKeepsEverythingIsTrimmedByTheCore() {
        // keep never releases: without the limit the footprint would be the 12 MiB of freed 256-byte blocks plus
        // the 8 MiB of 2 KiB blocks allocated after them
        try (HakmemAllocator a = Open.open("keep", Map.of("soft.limit.mb", "16"))) {
            assertThat(a.softLimitBytes()).isEqualTo(16 * MIB);
            List<Long> first = fill(a, 256, 12 * MIB);
            freeAll(a, first, 256);
            assertThat(a.stats().counter("soft_limit_hits")).as("below the limit").isZero();
            List<Long> second = fill(a, 2048, 8 * MIB); // crosses 16 MiB
            assertThat(a.stats().counter("soft_limit_hits")).isPositive();
            assertThat(a.stats().counter("soft_limit_trims")).isPositive();
            assertThat(a.stats().counter("trims")).isPositive();
            assertThat(a.figures().committedBytes()).as("committed after the limit fired")
                    .isLessThanOrEqualTo(16 * MIB);
            assertThat(a.stats().count("mapped_bytes").peak()).as("peak mapped: the limit plus at most a step")
                    .isLessThan(20 * MIB);
            freeAll(a, second, 2048);
            assertThat(a.audit()).isEmpty();
        }
    }

    /** Answers the soft limit by retiring and decommitting everything of the class it was asked about. */
    static final class Answering implements ReleasePolicy {
        final List<Long> asked = new CopyOnWriteArrayList<>();

        @Override
        public void onSlabEmpty(hakmem.api.spi.EmptySlab slab, boolean superSlabEmpty, ReleaseHandle handle) {
        }

        @Override
        public void onSoftLimit(ReleaseHandle handle, long overBytes) {
            asked.add(overBytes);
            for (SizeClass c : handle.sizeClasses()) {
                handle.retireEmptySuperSlabs(c, 0, 0);
                handle.decommitEmpty(c, 0, 0, hakmem.api.spi.Advice.DONTNEED);
            }
        }
    }

    @Test
    void aPolicyThatAnswersLeavesTheCoreNothingToTrim() {
        Stats stats = new Stats(List.of());
        Answering policy = new Answering();
        try (HakmemAllocator a = new HakmemAllocator("answering", policy, new OsLayer(new NativeOsBox(), stats), stats,
                new StderrStatsSink(), false, List.of(), 16 * MIB)) {
            freeAll(a, fill(a, 256, 12 * MIB), 256);
            List<Long> second = fill(a, 2048, 8 * MIB);
            assertThat(policy.asked).as("the policy was asked, with how far over").isNotEmpty();
            assertThat(policy.asked).allSatisfy(over -> assertThat(over).isPositive());
            assertThat(a.stats().counter("soft_limit_hits")).isEqualTo(policy.asked.size());
            assertThat(a.stats().counter("soft_limit_trims")).as("the policy released enough").isZero();
            assertThat(a.figures().committedBytes()).isLessThanOrEqualTo(16 * MIB);
            freeAll(a, second, 2048);
            assertThat(a.audit()).isEmpty();
        }
    }

    @Test
    void liveDataAboveTheLimitIsLookedAtOncePerStep() {
        try (HakmemAllocator a = Open.open("keep", Map.of("soft.limit.mb", "4"))) {
            List<Long> live = fill(a, 512, 24 * MIB); // all live: nothing to release
            long hits = a.stats().counter("soft_limit_hits");
            assertThat(hits).as("looked at as the mappings grew").isPositive();
            // one look per step (max(2 MiB, limit/16)) of mapping growth above the limit, not one per slab refill
            assertThat(hits).isLessThanOrEqualTo((24 - 4) / 2 + 1);
            freeAll(a, live, 512);
            assertThat(a.audit()).isEmpty();
        }
    }

    @Test
    void aBadLimitIsRefusedNamingTheOption() {
        assertThatThrownBy(() -> Open.open("keep", Map.of("soft.limit.mb", "lots")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("soft.limit.mb").hasMessageContaining("lots");
        assertThatThrownBy(() -> Open.open("keep", Map.of("soft.limit.mb", "-5")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("soft.limit.mb");
        assertThatThrownBy(() -> Open.open("keep", Map.of("soft.limit.mb", "2T")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("soft.limit.mb");
    }
}
