package hakmem.bench.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hakmem.bench.run.Runner;
import hakmem.bench.trace.Recordings;
import hakmem.bench.workload.Params;
import hakmem.bench.workload.TimeMode;
import hakmem.bench.workload.TraceReplay;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulated OS: the page model, the virtual clock, determinism, and agreement with the real OS box. */
class SimTest {
    @TempDir
    Path dir;

    @Test
    void thePageModelFaultsOnFirstWriteDropsAtDontNeedAndKeepsMadvFreeUntilPressure() {
        SimClock clock = new SimClock();
        long start = clock.nanoTime();
        PageModel m = new PageModel(100, 4096, new SimConfig(0, 1_000, 0, 8 * 4096), clock);
        m.map(0, 20);
        for (int p = 0; p < 10; p++) {
            m.touched(p);
        }
        m.touched(3); // already resident: no fault
        assertThat(m.resident()).isEqualTo(10);
        assertThat(m.faults()).isEqualTo(10);
        assertThat(clock.nanoTime() - start).isEqualTo(10_000); // 1 us per fault
        m.dontNeed(0, 2);
        assertThat(m.resident()).isEqualTo(8);
        m.free(2, 4); // pages 2..5 lazily free: still resident, no pressure yet (8 <= 8)
        assertThat(m.resident()).isEqualTo(8);
        m.touched(2); // written again before reclaim: resident, no fault
        assertThat(m.faults()).isEqualTo(10);
        m.touched(10); // 9 > 8: pressure drops the oldest lazily free page still lazy (3)
        assertThat(m.resident()).isEqualTo(8);
        assertThat(m.dropped()).isEqualTo(1);
        assertThat(m.state(3)).isEqualTo(PageModel.CLEAN);
        assertThat(m.state(2)).isEqualTo(PageModel.RESIDENT);
        assertThat(m.residentIn(0, 20)).isEqualTo(8);
        m.unmap(0, 20);
        assertThat(m.resident()).isZero();
        assertThatThrownBy(() -> {
            m.map(0, 1);
            m.map(0, 1);
        }).hasMessageContaining("mapped twice");
    }

    @Test
    void theVirtualClockRunsTasksAtTheirDeadlinesInOrder() {
        SimClock clock = new SimClock();
        long t0 = clock.nanoTime();
        List<String> ran = new ArrayList<>();
        clock.schedule("a", 100, () -> ran.add("a@" + (clock.nanoTime() - t0)));
        var b = clock.schedule("b", 250, () -> {
            ran.add("b@" + (clock.nanoTime() - t0));
            clock.advance(10); // a task's cost moves time too
        });
        long idle = clock.advanceTo(t0 + 300);
        assertThat(ran).containsExactly("a@100", "a@200", "b@250", "a@300");
        assertThat(clock.nanoTime() - t0).isEqualTo(300); // b's cost (250 -> 260) is inside a's next period
        assertThat(idle).isEqualTo(290); // 300 ns crossed, less the 10 ns of cost
        b.cancel();
        clock.advanceTo(t0 + 600);
        assertThat(ran).containsExactly("a@100", "a@200", "b@250", "a@300", "a@400", "a@500", "a@600");
    }

    private static ObjectNode simRun(Path trace, String policy, SimConfig sim) {
        TraceReplay w = new TraceReplay(trace, TimeMode.REAL, sim == null ? 0 : sim.opNanos());
        Params p = w.defaults(false);
        ObjectNode r = Runner.run(policy, w, p, 5, sim, f -> { });
        assertThat(r.path("ok").asBoolean()).as(r.path("error").asText()).isTrue();
        return r;
    }

    @Test
    void aSimulatedRunTwiceGivesIdenticalFigures() throws Exception {
        Path file = dir.resolve("pc.hkt");
        Recordings.producerConsumer(file, 20_000);
        ObjectNode a = simRun(file, "lean", SimConfig.DEFAULT);
        ObjectNode b = simRun(file, "lean", SimConfig.DEFAULT);
        a.remove("pid");
        b.remove("pid");
        assertThat(a.path("series").size()).isGreaterThan(3);
        assertThat(a.path("syscallsTimed").asLong()).isPositive();
        assertThat(a).isEqualTo(b); // every figure, mark, sample and counter
        // and the costs are in the figures: dearer system calls, fewer ops per virtual second
        ObjectNode dear = simRun(file, "lean", new SimConfig(200_000, 500, 50, 0));
        assertThat(dear.path("opsPerSec").asDouble()).isLessThan(a.path("opsPerSec").asDouble());
    }

    @Test
    void theSimulatedResidentCurveFollowsTheRealOsBox() throws Exception {
        Path file = dir.resolve("phases.hkt");
        Recordings.phases(file, "lean", 8); // 8 MiB of 1 KiB blocks, freed; 2 MiB, freed; lean decommits at once
        ObjectNode real = simRun(file, "lean", null);
        ObjectNode sim = simRun(file, "lean", SimConfig.DEFAULT);
        List<String> labels = new ArrayList<>();
        for (JsonNode m : real.path("marks")) {
            labels.add(m.path("label").asText());
        }
        assertThat(labels).contains("trace-10%", "trace-50%", "trace-90%");
        long peak = 0;
        for (JsonNode m : real.path("marks")) {
            peak = Math.max(peak, m.path("resident").asLong());
        }
        assertThat(peak).isGreaterThan(4L << 20);
        // tolerance: 5% of the peak, or 256 KiB: mincore and the model count the same pages, up to the allocator's
        // own metadata pages and what the real kernel does on its own (e.g. huge pages)
        long tolerance = Math.max(256 << 10, peak / 20);
        for (int i = 0; i < real.path("marks").size(); i++) {
            JsonNode r = real.path("marks").get(i);
            JsonNode s = sim.path("marks").get(i);
            assertThat(s.path("label").asText()).isEqualTo(r.path("label").asText());
            assertThat(Math.abs(s.path("resident").asLong() - r.path("resident").asLong()))
                    .as("resident at %s: real %d, sim %d", r.path("label").asText(), r.path("resident").asLong(),
                            s.path("resident").asLong())
                    .isLessThanOrEqualTo(tolerance);
        }
        // the policy decides alike: madvise calls within 5% (the real run's ticks fall where wall time puts them);
        // mmap/munmap differ only where the real kernel placed a mapping off 2 MiB and the OS layer trimmed it (the
        // simulated OS places big mappings aligned)
        long realAdvice = real.path("stats").path("counters").path("madvise_calls").asLong();
        long simAdvice = sim.path("stats").path("counters").path("madvise_calls").asLong();
        assertThat(realAdvice).isPositive();
        assertThat(Math.abs(simAdvice - realAdvice)).isLessThanOrEqualTo(Math.max(2, realAdvice / 20));
        assertThat(sim.path("syscallsTotal").asLong()).isLessThanOrEqualTo(real.path("syscallsTotal").asLong());
    }
}
