package hakmem.bench.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hakmem.bench.subject.Subjects;
import hakmem.bench.workload.Rng;
import hakmem.bench.workload.Workloads;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `run` and a tiny `compare` in child JVMs, launched the way compare launches its runs. */
class ChildJvmTest {

    @Test
    void quickRunPrintsOneJsonLineWithVerifiedChecks(@TempDir Path dir) throws Exception {
        var p = Workloads.byId("mixed").defaults(true).withOps(200_000).withWarmup(20_000);
        ObjectNode r = new Forker(List.of(), 120).run("unsafe", "mixed", p, 5, dir.resolve("run.log"), f -> { });
        assertThat(r.path("ok").asBoolean()).as("run failed: %s", r).isTrue();
        assertThat(r.path("subject").asText()).isEqualTo("unsafe");
        assertThat(r.path("kind").asText()).isEqualTo("peer");
        assertThat(r.path("timedOps").asLong()).isEqualTo(200_000);
        assertThat(r.path("opsPerSec").asDouble()).isPositive();
        assertThat(r.path("rngFinal").asText()).isEqualTo(r.path("rngExpected").asText())
                .isEqualTo(String.format("0x%016x", Rng.advance(Rng.SEED, 2 * 220_000)));
        assertThat(r.path("peakRssBytes").asLong()).isGreaterThan(10_000_000);
        assertThat(r.path("allocPeakResidentBytes").isNull()).isTrue();
        assertThat(r.path("allocPeakMappedBytes").isNull()).isTrue();
        assertThat(r.path("livePeakBytes").asLong()).isGreaterThanOrEqualTo(r.path("liveEndBytes").asLong())
                .isBetween(400L * 16, 400L * 1024);
        assertThat(r.path("rssBaselineBytes").asLong()).isPositive().isLessThanOrEqualTo(r.path("peakRssBytes").asLong());
        assertThat(r.path("fork").path("exitCode").asInt()).isZero();
        assertThat(r.path("series").size()).isPositive();
    }

    @Test
    void hakmemPolicyRunReportsResidentAndSyscalls(@TempDir Path dir) throws Exception {
        boolean core;
        try {
            core = Subjects.policies().stream().anyMatch(p -> p.id().equals("balanced"));
        } catch (RuntimeException e) {
            core = false;
        }
        Assumptions.assumeTrue(core, "hakmem-core with the balanced policy is not on the module path yet");
        var p = Workloads.byId("mixed").defaults(true).withOps(200_000).withWarmup(20_000);
        ObjectNode r = new Forker(List.of(), 120).run("balanced", "mixed", p, 5, dir.resolve("run.log"), f -> { });
        assertThat(r.path("ok").asBoolean()).as("run failed: %s", r).isTrue();
        assertThat(r.path("kind").asText()).isEqualTo("policy");
        assertThat(r.path("allocPeakResidentBytes").asLong()).isPositive();
        assertThat(r.path("syscallsPerOp").isNumber()).isTrue();
        assertThat(r.path("allocPeakMappedBytes").asLong()).isGreaterThanOrEqualTo(r.path("allocPeakResidentBytes").asLong());
        assertThat(r.path("stats").path("counters").has("mmap_calls")).isTrue();
        assertThat(r.path("allocPeakMetadataBytes").asLong()).as("the allocator's Java-heap bookkeeping").isPositive()
                .isEqualTo(r.path("stats").path("counts").path("metadata_bytes").path("peak").asLong());
    }

    @Test
    void theNoAllocBaselineRunsTheLoopWithoutMemory(@TempDir Path dir) throws Exception {
        var p = Workloads.byId("mixed").defaults(true).withOps(200_000).withWarmup(20_000);
        ObjectNode r = new Forker(List.of(), 120).run(Subjects.NO_ALLOC, "mixed", p, 5, dir.resolve("run.log"), f -> { });
        assertThat(r.path("ok").asBoolean()).as("run failed: %s", r).isTrue();
        assertThat(r.path("kind").asText()).isEqualTo("baseline");
        assertThat(r.path("timedOps").asLong()).isEqualTo(200_000);
        assertThat(r.path("rngFinal").asText()).isEqualTo(r.path("rngExpected").asText());
        assertThat(r.path("peakRssBytes").asLong()).isGreaterThan(10_000_000);
        assertThat(r.path("allocPeakResidentBytes").isNull()).isTrue();
        assertThat(r.path("detail").asText()).contains("no allocator");
    }

    @Test
    void inlineOptionsReachTheForkedRun(@TempDir Path dir) throws Exception {
        var p = Workloads.byId("burst").defaults(true).withOps(50_000).withWarmup(5_000).toBuilder().burstMb(4).idleMs(50).cycles(1).build();
        String subject = "lean@ss.mem.lean.decommit=OFF";
        ObjectNode r = new Forker(List.of(), 120).run(subject, "burst", p, 5, dir.resolve("run.log"), f -> { });
        assertThat(r.path("ok").asBoolean()).as("run failed: %s", r).isTrue();
        assertThat(r.path("subject").asText()).isEqualTo(subject);
        assertThat(r.path("detail").asText()).contains("ss.mem.lean.decommit=OFF");
        // lean decommits the freed burst by default; with decommit OFF it keeps everything
        assertThat(r.path("stats").path("counters").path("bytes_decommitted").asLong(-1)).isZero();
        assertThat(r.path("marks").get(0).has("returnedBytes")).isTrue();
    }

    @Test
    void tinyCompareWritesItsFiles(@TempDir Path dir) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Forker.javaBinary(), "--enable-native-access=hakmem.core,hakmem.bench,ALL-UNNAMED",
                "-Djava.awt.headless=true", "-p", System.getProperty("jdk.module.path"), "-cp", System.getProperty("java.class.path"),
                "--add-modules", "ALL-MODULE-PATH",
                "-m", "hakmem.bench/hakmem.bench.Main", "compare", "--policies", "none", "--peers", "unsafe,ffm-malloc", "--workload", "mixed",
                "--runs", "2", "--ops", "50000", "--warmup", "5000", "--sample-ms", "5", "--out", dir.toString()));
        Process proc = new ProcessBuilder(cmd).redirectError(dir.resolve("stderr.txt").toFile()).start();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(proc.waitFor(180, TimeUnit.SECONDS)).isTrue();
        String err = Files.readString(dir.resolve("stderr.txt"));
        assertThat(proc.exitValue()).as("stdout:%n%s%nstderr:%n%s", out, err).isZero();
        assertThat(out).contains("unsafe").contains("ffm-malloc").contains("ops/s med").doesNotContain("Targets");
        assertThat(err).contains("[1/6] mixed unsafe #1").contains("[6/6] mixed no-alloc #2");
        assertThat(out).contains("footprint over the JVM baseline (no-alloc");
        JsonNode json = Json.parse(Files.readString(dir.resolve("results.json")));
        assertThat(json.get("runs")).hasSize(6);
        // interleaved: A B baseline A B baseline
        assertThat(json.get("runs").findValuesAsText("subject"))
                .containsExactly("unsafe", "ffm-malloc", "no-alloc", "unsafe", "ffm-malloc", "no-alloc");
        assertThat(json.get("summary")).hasSize(2);
        assertThat(json.get("summary").get(0).path("rssOverJvmBaselineBytesMedian").isNumber()).isTrue();
        assertThat(dir.resolve("report.md")).exists();
        assertThat(dir.resolve("throughput-mixed.png")).exists();
        assertThat(Files.readAllLines(dir.resolve("results.csv"))).hasSize(7);
    }

    /** A compare of a recorded trace on the simulated OS, in a child JVM; its tables and results. */
    private static String[] simCompare(Path trace, Path out) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Forker.javaBinary(), "--enable-native-access=hakmem.core,hakmem.bench,ALL-UNNAMED",
                "-Djava.awt.headless=true", "-p", System.getProperty("jdk.module.path"), "-cp", System.getProperty("java.class.path"),
                "--add-modules", "ALL-MODULE-PATH",
                "-m", "hakmem.bench/hakmem.bench.Main", "compare", "--policies", "speed,lean", "--workload", "trace:" + trace,
                "--os", "sim", "--runs", "1", "--no-charts", "--out", out.toString()));
        Process proc = new ProcessBuilder(cmd).redirectError(out.resolveSibling(out.getFileName() + "-stderr.txt").toFile()).start();
        String stdout = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(proc.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(proc.exitValue()).as(stdout).isZero();
        return new String[] {stdout.replace(out.toString(), "OUT"), Files.readString(out.resolve("results.json"))};
    }

    @Test
    void aSimulatedCompareOfATraceGivesTheSameTablesAndVerdictsTwice(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("pc.hkt");
        hakmem.bench.trace.Recordings.producerConsumer(trace, 3_000);
        String[] a = simCompare(trace, dir.resolve("a"));
        String[] b = simCompare(trace, dir.resolve("b"));
        assertThat(a[0]).contains("speed").contains("lean").contains("ops/s med").contains("Verdict on trace:");
        assertThat(a[0]).isEqualTo(b[0]); // the console: tables, release figures, verdicts
        JsonNode ja = Json.parse(a[1]);
        JsonNode jb = Json.parse(b[1]);
        assertThat(ja.get("summary")).isEqualTo(jb.get("summary"));
        assertThat(ja.get("verdicts")).isEqualTo(jb.get("verdicts"));
        for (int i = 0; i < ja.get("runs").size(); i++) {
            ObjectNode ra = ((ObjectNode) ja.get("runs").get(i)).deepCopy();
            ObjectNode rb = ((ObjectNode) jb.get("runs").get(i)).deepCopy();
            for (ObjectNode r : List.of(ra, rb)) {
                r.remove(List.of("fork", "pid")); // the fork's wall time and log file, the process id
            }
            assertThat(ra).isEqualTo(rb);
        }
    }
}
