package hakmem.bench.result;

import static hakmem.bench.result.SyntheticRuns.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Each release figure of a run, on synthetic resident curves whose answers are known. */
class ReleaseFiguresTest {

    static ReleaseFigures of(com.fasterxml.jackson.databind.node.ObjectNode o) {
        return ReleaseFigures.of(RunResult.fromJson(o));
    }

    @Test
    void aPolicyThatReleasesPromptly() {
        // 1 MiB before, 64 MiB at the top, 1.5 MiB from 550 ms (150 ms after the free): 62.5 MiB released in 1000
        // calls; the stats say 70 MiB were decommitted or unmapped (address space, counted apart)
        ReleaseFigures f = of(SyntheticRuns.burst("lean", "policy", 1, 1e6, MIB, 64 * MIB, 3 * MIB / 2, 550,
                70 * MIB, 1000));
        assertThat(f.mibSeconds()).as("0.2 s x 1 + 0.25 s x 64 + 1.95 s x 1.5").isEqualTo(19.125);
        assertThat(f.timeToReleaseMs()).isEqualTo(150);
        assertThat(f.neverReleased()).isFalse();
        assertThat(f.recommitBytes()).isZero();
        assertThat(f.releasedBytes()).isEqualTo(62.5 * MIB);
        assertThat(f.returnedBytes()).isEqualTo(70.0 * MIB);
        assertThat(f.syscalls()).isEqualTo(1000);
        assertThat(f.syscallsPerMibReleased()).isEqualTo(16.0);
    }

    @Test
    void releasedAtTheFreeItselfTakesNoTime() {
        ReleaseFigures f = of(SyntheticRuns.burst("lean", "policy", 1, 1e6, MIB, 64 * MIB, MIB, 400, 63 * MIB, 63));
        assertThat(f.timeToReleaseMs()).isZero();
    }

    @Test
    void aPolicyThatKeepsItsPeakNeverReleases() {
        ReleaseFigures f = of(SyntheticRuns.burst("speed", "policy", 1, 1e6, 16 * MIB, 80 * MIB, 80 * MIB,
                Double.POSITIVE_INFINITY, 0, 0));
        assertThat(f.timeToReleaseMs()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(f.neverReleased()).isTrue();
        assertThat(f.mibSeconds()).as("0.2 s x 16 + 2.2 s x 80").isEqualTo(179.2);
        assertThat(f.releasedBytes()).isZero();
        assertThat(f.returnedBytes()).isZero();
        assertThat(f.syscallsPerMibReleased()).as("nothing released: no ratio").isNaN();
    }

    @Test
    void fallingButNotWithinTwiceThePreBurstIsNever() {
        // 1 MiB before; it falls to 2.5 MiB only: more than 2x
        ReleaseFigures f = of(SyntheticRuns.burst("lean", "policy", 1, 1e6, MIB, 64 * MIB, 5 * MIB / 2, 550,
                61 * MIB, 100));
        assertThat(f.timeToReleaseMs()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(f.releasedBytes()).isEqualTo(61.5 * MIB);
    }

    @Test
    void releasingOnlyAfterTheIdleEndedIsNever() {
        ReleaseFigures f = of(SyntheticRuns.burst("lean", "policy", 1, 1e6, MIB, 64 * MIB, MIB, 2450, 63 * MIB, 63));
        assertThat(f.timeToReleaseMs()).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void theWorstCycleCounts() {
        // cycle 1 released 100 ms after its free; cycle 2 at 250 ms after its free
        var o = SyntheticRuns.marks(SyntheticRuns.run("burst", "lean", "policy", 1, 1e6),
                t -> t < 300 ? MIB : t < 450 ? 64 * MIB : t < 1300 ? MIB : t < 1650 ? 64 * MIB : MIB, 126 * MIB, 10,
                "timed-start", 100, "pre-burst", 200, "burst-peak", 300, "burst-freed", 350, "idle-end", 1200,
                "pre-burst", 1250, "burst-peak", 1300, "burst-freed", 1400, "idle-end", 2400, "timed-end", 2500);
        assertThat(of(o).timeToReleaseMs()).isEqualTo(250);
    }

    @Test
    void fallAndRiseWithinASecondIsRecommit() {
        // 64 MiB fall to 1 MiB at 550 ms, 8 MiB come back at 1050 ms (500 ms later)
        var o = SyntheticRuns.marks(SyntheticRuns.run("burst", "lean", "policy", 1, 1e6),
                t -> t < 300 ? MIB : t < 550 ? 64 * MIB : t < 1050 ? MIB : 9 * MIB, 63 * MIB, 63,
                "timed-start", 100, "pre-burst", 200, "burst-peak", 300, "burst-freed", 400, "idle-end", 2400,
                "timed-end", 2500);
        assertThat(of(o).recommitBytes()).isEqualTo(8.0 * MIB);
    }

    @Test
    void aMarkThatSawMoreThanTheNextSampleIsNoFall() {
        // the workload thread's mark and the sampler measure concurrently: a mark stamped just before a sample may
        // have seen more pages than it (seen in a real speed run: 98.7 MB at the mark, 95.8 MB 12 ms later)
        var o = SyntheticRuns.burst("speed", "policy", 1, 1e6, 16 * MIB, 80 * MIB, 80 * MIB, Double.POSITIVE_INFINITY, 0, 0);
        for (var m : o.withArray("marks")) {
            if (m.path("label").asText().equals("burst-peak")) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) m).put("resident", 83 * MIB).put("tMs", 340.0);
            }
        }
        ReleaseFigures f = of(o);
        assertThat(f.releasedBytes()).isZero();
        assertThat(f.recommitBytes()).isZero();
        assertThat(f.mibSeconds()).isEqualTo(179.2);
    }

    @Test
    void mixedHasNoTimeToRelease() {
        ReleaseFigures f = of(SyntheticRuns.mixed("lean", "policy", 1, 1e6, 400 * 1024, 0));
        assertThat(f.timeToReleaseMs()).isNaN();
        assertThat(f.mibSeconds()).isEqualTo(400.0 / 1024);
    }

    @Test
    void peersAndFailedRunsHaveNone() {
        assertThat(of(SyntheticRuns.burst("unsafe", "peer", 1, 1e6, MIB, 64 * MIB, MIB, 550, 0, 0)))
                .isSameAs(ReleaseFigures.NONE);
        assertThat(of(SyntheticRuns.failed("burst", "lean", "policy", 1, "boom"))).isSameAs(ReleaseFigures.NONE);
    }
}
