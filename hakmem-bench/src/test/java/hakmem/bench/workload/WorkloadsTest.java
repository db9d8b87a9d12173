package hakmem.bench.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hakmem.bench.subject.Subject;
import hakmem.bench.subject.Subjects;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Every workload runs to the end on a real allocator with its checks passing, and fails on a broken one. */
class WorkloadsTest {

    static Params small(Workload w) {
        return switch (w.id()) {
            case "burst" -> w.defaults(true).withOps(20_000).withWarmup(5_000).toBuilder().burstMb(1).idleMs(20).cycles(2).build();
            case "churn" -> w.defaults(true).withOps(3L * 2 * Churn.OPS_PER_THREAD).withWarmup(2 * Churn.OPS_PER_THREAD);
            default -> w.defaults(true).withOps(30_000).withWarmup(5_000);
        };
    }

    static final class Recorder implements Meter {
        final List<String> labels = new ArrayList<>();

        @Override
        public synchronized void mark(String label) {
            labels.add(label);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mixed", "burst", "remote", "larson", "churn"})
    void completesWithVerifiedContents(String id) throws InterruptedException {
        Workload w = Workloads.byId(id);
        Params p = small(w);
        Recorder meter = new Recorder();
        Outcome o;
        try (Subject s = TestSubjects.real(w, p)) {
            o = w.run(s, p, meter);
        }
        assertThat(o.timedOps()).isPositive();
        assertThat(o.checks()).isPositive();
        assertThat(o.rngFinal()).isEqualTo(o.rngExpected());
        assertThat(meter.labels).contains(Meter.TIMED_START, Meter.TIMED_END);
        assertThat(meter.labels.indexOf(Meter.TIMED_START)).isLessThan(meter.labels.indexOf(Meter.TIMED_END));
    }

    @ParameterizedTest
    @ValueSource(strings = {"netty", "arena"})
    void handleSubjectsWorkAcrossThreads(String peer) throws InterruptedException {
        Workload w = Workloads.byId("remote");
        Params p = w.defaults(true).withOps(20_000).withWarmup(1_000);
        try (Subject s = Subjects.create(peer, w.maxLive(p), w.crossThreadFrees(p))) {
            Outcome o = w.run(s, p, Meter.NONE);
            assertThat(o.checks()).isEqualTo(20_000 + 1_000);
        }
    }

    @Test
    void burstMarksEachPhase() throws InterruptedException {
        Workload w = Workloads.byId("burst");
        Params p = small(w);
        Recorder meter = new Recorder();
        try (Subject s = TestSubjects.real(w, p)) {
            w.run(s, p, meter);
        }
        assertThat(meter.labels).containsSubsequence("timed-start", "pre-burst", "burst-peak", "burst-freed", "idle-end",
                "pre-burst", "burst-peak", "burst-freed", "idle-end", "timed-end");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mixed", "larson"})
    void aBlockHandedOutTwiceFailsLoudly(String id) {
        Workload w = Workloads.byId(id);
        Params p = w.defaults(true).withOps(10_000).withWarmup(1_000).withThreads(1);
        assertThatThrownBy(() -> w.run(TestSubjects.doubleHanding(), p, Meter.NONE))
                .isInstanceOf(CheckFailure.class)
                .hasMessageContaining("lost its contents");
    }

    @Test
    void mixedTableEndsWhereTheOpCountSays() {
        try (Subject s = Subjects.create("ffm-malloc", 400, false)) {
            MixedTable t = new MixedTable(s, 400, Rng.SEED);
            t.run(12_345);
            t.run(1);
            assertThat(t.state()).isEqualTo(Rng.advance(Rng.SEED, 2 * 12_346));
            t.verifyState("test");
            t.freeAll();
            assertThat(t.checks()).isEqualTo(12_346);
        }
    }

    @Test
    void unknownWorkloadListsTheKnownOnes() {
        assertThatThrownBy(() -> Workloads.byId("nope"))
                .hasMessageContaining("mixed").hasMessageContaining("churn");
    }
}
