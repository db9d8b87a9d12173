package hakmem.bench.workload;

import static org.assertj.core.api.Assertions.assertThat;

import hakmem.bench.subject.Subject;
import hakmem.bench.subject.Subjects;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** mixed, medium and large: one loop with the slots, sizes and counts of GUIDE section 2, and its live-bytes tracking. */
class MixedFamilyTest {

    /** libc through FFM, recording every size requested and keeping the live bytes the slow way (a map of handles). */
    static final class Recording extends Subject {
        final Subject inner = Subjects.create("ffm-malloc", 100, false);
        final List<Long> sizes = new ArrayList<>();
        final Map<Long, Long> held = new HashMap<>();
        long peak;

        @Override
        public String id() {
            return "recording";
        }

        @Override
        public String kind() {
            return "peer";
        }

        @Override
        public long malloc(long size) {
            long h = inner.malloc(size);
            sizes.add(size);
            held.put(h, size);
            peak = Math.max(peak, live());
            return h;
        }

        @Override
        public void free(long handle) {
            assertThat(held.remove(handle)).as("freed a block it holds").isNotNull();
            inner.free(handle);
        }

        /** The sum of the sizes held, summed afresh. */
        long live() {
            return held.values().stream().mapToLong(Long::longValue).sum();
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    /** The GUIDE's loop written out again, independently of the code under test: the first n sizes. */
    static List<Long> guideSizes(int slots, long min, long span, int n) {
        List<Long> out = new ArrayList<>();
        long x = 0x9E3779B97F4A7C15L;
        for (int k = 0; k < n; k++) {
            x ^= x >>> 12;
            x ^= x << 25;
            x ^= x >>> 27; // slot draw
            assertThat(Long.remainderUnsigned(x * 0x2545F4914F6CDD1DL, slots)).isBetween(0L, slots - 1L);
            x ^= x >>> 12;
            x ^= x << 25;
            x ^= x >>> 27; // size draw
            out.add(min + Long.remainderUnsigned(x * 0x2545F4914F6CDD1DL, span));
        }
        return out;
    }

    static List<Long> tableSizes(Mixed w, int ops) {
        try (Recording s = new Recording()) {
            MixedTable t = new MixedTable(s, w.defaults(false).ws(), Rng.SEED, w.sizes());
            t.run(ops);
            t.freeAll();
            return s.sizes;
        }
    }

    @Test
    void theWorkloadsAreRegisteredWithTheGuidesSlotsSizesAndCounts() {
        assertThat(Workloads.ids()).contains("mixed", "medium", "large", "burst");
        Mixed medium = (Mixed) Workloads.byId("medium");
        Mixed large = (Mixed) Workloads.byId("large");
        assertThat(medium.sizes()).isEqualTo(new SizeRange(1024, 262_144));
        assertThat(medium.sizes().span()).isEqualTo(261_121);
        assertThat(large.sizes()).isEqualTo(new SizeRange(262_144, 8_388_608));
        assertThat(large.sizes().span()).isEqualTo(8_126_465);
        assertThat(((Mixed) Workloads.byId("mixed")).sizes().span()).isEqualTo(1009).isEqualTo(MixedTable.MIXED_SPAN);
        assertThat(medium.defaults(false)).extracting(Params::ws, Params::warmup, Params::ops)
                .containsExactly(100, 200_000L, 2_000_000L);
        assertThat(large.defaults(false)).extracting(Params::ws, Params::warmup, Params::ops)
                .containsExactly(20, 20_000L, 200_000L);
        // --quick scales as for mixed (2M + 20M -> 200k + 1M)
        assertThat(Workloads.byId("mixed").defaults(true)).extracting(Params::warmup, Params::ops)
                .containsExactly(200_000L, 1_000_000L);
        assertThat(medium.defaults(true)).extracting(Params::warmup, Params::ops).containsExactly(20_000L, 100_000L);
        assertThat(large.defaults(true)).extracting(Params::warmup, Params::ops).containsExactly(2_000L, 10_000L);
        assertThat(medium.description()).contains("100 slots").contains("1 KiB..256 KiB").doesNotContain("\n");
        assertThat(large.description()).contains("20 slots").contains("256 KiB..8 MiB").doesNotContain("\n");
    }

    @Test
    void theFirstSizesForTheSeedAreTheGuides() {
        // from the GUIDE's definition (computed once outside Java): seed 0x9E3779B97F4A7C15
        assertThat(tableSizes(Mixed.mixed(), 4)).containsExactly(193L, 528L, 405L, 571L);
        assertThat(tableSizes(Mixed.medium(), 4)).containsExactly(234_728L, 75_067L, 40_242L, 191_718L);
        assertThat(tableSizes(Mixed.large(), 4)).containsExactly(2_499_511L, 4_368_731L, 8_292_100L, 4_453_368L);
    }

    @Test
    void theSizeStreamFollowsTheGuideAndStaysInBounds() {
        List<Long> medium = tableSizes(Mixed.medium(), 20_000);
        assertThat(medium).isEqualTo(guideSizes(100, 1024, 261_121, 20_000));
        assertThat(medium).allSatisfy(s -> assertThat(s).isBetween(1024L, 262_144L));
        List<Long> large = tableSizes(Mixed.large(), 2_000);
        assertThat(large).isEqualTo(guideSizes(20, 262_144, 8_126_465, 2_000));
        assertThat(large).allSatisfy(s -> assertThat(s).isBetween(262_144L, 8_388_608L));
        assertThat(tableSizes(Mixed.mixed(), 20_000)).isEqualTo(guideSizes(400, 16, 1009, 20_000));
    }

    @Test
    void aDrawGivesTheBoundsAtTheEndsOfItsRange() {
        for (SizeRange r : List.of(SizeRange.MIXED, SizeRange.MEDIUM, SizeRange.LARGE)) {
            assertThat(r.size(0)).isEqualTo(r.min());
            assertThat(r.size(r.span() - 1)).isEqualTo(r.max());
            assertThat(r.size(r.span())).isEqualTo(r.min());
            assertThat(r.size(-1L)).as("the largest unsigned draw").isBetween(r.min(), r.max());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mixed", "medium", "large"})
    void liveBytesAreTheSumOfTheSizesHeld(String id) {
        Mixed w = (Mixed) Workloads.byId(id);
        try (Recording s = new Recording()) {
            MixedTable t = new MixedTable(s, w.defaults(false).ws(), Rng.SEED, w.sizes());
            for (int step : new int[] {1, 7, 50, 1_000}) {
                t.run(step);
                assertThat(t.liveBytes()).isEqualTo(s.live()).isPositive();
                assertThat(t.livePeakBytes()).isEqualTo(s.peak).isGreaterThanOrEqualTo(t.liveBytes());
            }
            long peak = t.livePeakBytes();
            t.freeAll();
            assertThat(t.liveBytes()).isZero();
            assertThat(s.held).isEmpty();
            assertThat(t.livePeakBytes()).isEqualTo(peak);
            t.run(10); // refills from empty: the count goes on from 0
            assertThat(t.liveBytes()).isEqualTo(s.live());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"medium", "large"})
    void theWorkloadReportsLiveBytesAtTheEndAndTheirPeak(String id) throws InterruptedException {
        Workload w = Workloads.byId(id);
        Params p = w.defaults(true).withOps(3_000).withWarmup(500);
        Outcome o;
        try (Subject s = TestSubjects.real(w, p)) {
            o = w.run(s, p, Meter.NONE);
        }
        assertThat(o.rngFinal()).isEqualTo(o.rngExpected()).isEqualTo(Rng.advance(Rng.SEED, 2 * 3_500));
        SizeRange r = ((Mixed) w).sizes();
        assertThat(o.liveEndBytes()).isBetween(p.ws() * r.min(), p.ws() * r.max());
        assertThat(o.livePeakBytes()).isGreaterThanOrEqualTo(o.liveEndBytes()).isLessThanOrEqualTo(p.ws() * r.max());
        assertThat(o.checks()).isEqualTo(3_500);
        assertThat(o.extra()).containsEntry("sizes", r.toString());
    }

    @Test
    void workloadsThatDoNotTrackLiveBytesSayUnknown() throws InterruptedException {
        Workload w = Workloads.byId("remote");
        Params p = w.defaults(true).withOps(2_000).withWarmup(100);
        try (Subject s = TestSubjects.real(w, p)) {
            Outcome o = w.run(s, p, Meter.NONE);
            assertThat(o.liveEndBytes()).isEqualTo(-1);
            assertThat(o.livePeakBytes()).isEqualTo(-1);
        }
    }
}
