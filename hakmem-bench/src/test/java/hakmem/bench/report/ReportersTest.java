package hakmem.bench.report;

import static hakmem.bench.result.SyntheticRuns.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hakmem.bench.result.RunResult;
import hakmem.bench.result.SyntheticRuns;
import hakmem.bench.run.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model (summaries, verdicts per workload) and every reporter's output, from synthetic runs. */
class ReportersTest {
    static final String SWEEP = "lean@ss.mem.lean.delay.ms=100";
    static final List<String> SUBJECTS = List.of("speed", "balanced", "lean", SWEEP, "unsafe");

    static Comparison comparison(boolean leanFails) {
        List<RunResult> runs = new ArrayList<>();
        for (int r = 1; r <= 3; r++) {
            runs.add(RunResult.fromJson(SyntheticRuns.mixed("speed", "policy", r, 100e6 + r, 16 * MIB, 0)));
            runs.add(RunResult.fromJson(SyntheticRuns.mixed("balanced", "policy", r, 95e6 + r, 400 * 1024, 0)));
            runs.add(RunResult.fromJson(leanFails && r == 2
                    ? SyntheticRuns.failed("mixed", "lean", "policy", r, "CheckFailure: mixed: block 0x10 lost its contents, badly")
                    : SyntheticRuns.mixed("lean", "policy", r, 80e6 + r, 400 * 1024, 1e-7)));
            runs.add(RunResult.fromJson(SyntheticRuns.mixed(SWEEP, "policy", r, 99e6 + r, 400 * 1024, 0)));
            runs.add(RunResult.fromJson(SyntheticRuns.mixed("unsafe", "peer", r, 30e6 + r, 0, 0)));
        }
        for (int r = 1; r <= 3; r++) {
            runs.add(RunResult.fromJson(SyntheticRuns.burst("speed", "policy", r, 7e6, 16 * MIB, 80 * MIB, 80 * MIB,
                    Double.POSITIVE_INFINITY, 0, 0)));
            runs.add(RunResult.fromJson(SyntheticRuns.burst("balanced", "policy", r, 7e6, MIB, 64 * MIB, 64 * MIB,
                    Double.POSITIVE_INFINITY, 0, 0)));
            runs.add(RunResult.fromJson(SyntheticRuns.burst("lean", "policy", r, 2e6, MIB, 64 * MIB, 3 * MIB / 2, 550,
                    125 * MIB / 2, 1000)));
            runs.add(RunResult.fromJson(SyntheticRuns.burst(SWEEP, "policy", r, 6.5e6, MIB, 64 * MIB, 3 * MIB / 2, 550,
                    125 * MIB / 2, 250)));
            runs.add(RunResult.fromJson(SyntheticRuns.burst("unsafe", "peer", r, 7e6, 0, 64 * MIB, 64 * MIB,
                    Double.POSITIVE_INFINITY, 0, 0)));
        }
        ObjectNode header = Json.object();
        header.put("command", "hakmem compare --test");
        header.set("machine", MachineInfo.machine());
        header.set("jdk", MachineInfo.jdk());
        header.putObject("git").put("commit", "abc").put("branch", "t").put("dirty", false);
        header.putObject("options").put("runs", 3);
        header.putArray("skipped").addObject().put("subject", "ffm-mimalloc").put("reason", "not found")
                .put("install", "apt-get install -y libmimalloc2.0");
        return new Comparison(header, runs, List.of("mixed", "burst"), SUBJECTS, "speed", 10e6);
    }

    @Test
    void summariesRatiosAndVerdictsPerWorkload() {
        Comparison c = comparison(false);
        assertThat(c.summaries()).hasSize(10);
        Summary bal = c.find("mixed", "balanced");
        assertThat(bal.opsMedian()).isEqualTo(95e6 + 2);
        assertThat(bal.opsMin()).isEqualTo(95e6 + 1);
        assertThat(bal.allocPeakMax()).isEqualTo(400 * 1024);
        assertThat(c.verdicts().keySet()).containsExactly("mixed", "burst");
        assertThat(c.verdicts().get("mixed")).extracting(Verdict::policy).containsExactly("balanced", "lean", SWEEP);
        assertThat(c.verdicts().get("mixed")).extracting(Verdict::kind)
                .containsExactly(Verdict.Kind.GO, Verdict.Kind.NEUTRAL, Verdict.Kind.GO);
        // burst judges release: balanced keeps everything (NO-GO although as fast as speed), lean releases but at
        // 0.29x speed (NEUTRAL), the sweep point releases as promptly at 0.93x (GO)
        assertThat(c.verdicts().get("burst")).extracting(Verdict::kind)
                .containsExactly(Verdict.Kind.NO_GO, Verdict.Kind.NEUTRAL, Verdict.Kind.GO);
        assertThat(c.verdict("burst", "balanced").reason()).contains("releases nothing");
        assertThat(c.verdict("burst", "unsafe")).as("peers are not judged").isNull();
        Summary lean = c.find("burst", "lean");
        assertThat(lean.timeToReleaseMsMax()).isEqualTo(150);
        assertThat(lean.mibSecondsMedian()).isEqualTo(19.125);
        assertThat(lean.syscallsPerMibReleasedMax()).isEqualTo(16);
        assertThat(c.find("burst", "speed").timeToReleaseMsMax()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(c.find("burst", "unsafe").hasReleaseFigures()).isFalse();
    }

    @Test
    void aFailedRunMakesTheVerdictNoGo() {
        Comparison c = comparison(true);
        Verdict lean = c.verdict("mixed", "lean");
        assertThat(lean.kind()).isEqualTo(Verdict.Kind.NO_GO);
        assertThat(lean.reason()).contains("1 of 3 runs failed").contains("lost its contents");
        assertThat(c.anyFailed()).isTrue();
    }

    @Test
    void jsonHasTheReleaseFiguresVerdictsAndRules() {
        JsonNode json = JsonReporter.toJson(comparison(false));
        assertThat(json.get("summary")).hasSize(10);
        JsonNode balMixed = json.get("summary").get(1);
        assertThat(balMixed.get("opsRatio").asDouble()).isCloseTo((95e6 + 2) / (100e6 + 2), Offset.offset(1e-9));
        assertThat(json.get("summary").get(4).get("syscallsPerOpMedian").isNull()).as("peer").isTrue();
        JsonNode speedBurst = json.get("summary").get(5);
        assertThat(speedBurst.get("timeToReleaseMsMax").asText()).isEqualTo("never");
        JsonNode leanBurst = json.get("summary").get(7);
        assertThat(leanBurst.get("subject").asText()).isEqualTo("lean");
        assertThat(leanBurst.get("mibSecondsHeldMedian").asDouble()).isEqualTo(19.125);
        assertThat(leanBurst.get("timeToReleaseMsMax").asDouble()).isEqualTo(150);
        assertThat(leanBurst.get("recommitBytesMedian").asDouble()).isZero();
        assertThat(leanBurst.get("syscallsPerMibReleasedMax").asDouble()).isEqualTo(16);
        assertThat(json.get("verdicts")).hasSize(6);
        assertThat(json.get("verdicts").get(3).get("rules").asText()).isEqualTo("release");
        assertThat(json.get("verdicts").get(3).get("verdict").asText()).isEqualTo("NO-GO");
        assertThat(json.get("verdictRules").get("release").asText()).isEqualTo(Verdict.RELEASE_RULES);
        assertThat(json.get("runs")).hasSize(30);
        assertThat(json.get("runs").get(17).get("release").get("timeToReleaseMs").asDouble()).isEqualTo(150);
        assertThat(json.has("targets")).as("old issues' targets live in docs/results.md").isFalse();
    }

    /** Splits a CSV line at commas outside quotes. */
    static List<String> cells(String line) {
        return Arrays.asList(line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1));
    }

    @Test
    void csvHasTheNewColumnsOnEveryRow(@TempDir Path dir) throws Exception {
        new CsvReporter(dir).report(comparison(true));
        List<String> csv = Files.readAllLines(dir.resolve("results.csv"));
        assertThat(cells(csv.getFirst())).containsAll(List.of("mib_seconds_held", "time_to_release_ms",
                "recommit_bytes", "released_bytes", "returned_bytes", "syscalls_per_mib_released"));
        assertThat(csv).hasSize(1 + 30);
        for (String line : csv.subList(1, csv.size())) {
            assertThat(cells(line)).hasSize(CsvReporter.RUN_COLUMNS.size());
        }
        assertThat(csv).anyMatch(l -> l.contains("\"CheckFailure: mixed: block 0x10 lost its contents, badly\""));
        int ttr = CsvReporter.RUN_COLUMNS.indexOf("time_to_release_ms");
        int mibs = CsvReporter.RUN_COLUMNS.indexOf("mib_seconds_held");
        List<String> leanBurst = cells(csv.get(1 + 15 + 2));
        assertThat(leanBurst.subList(0, 2)).containsExactly("burst", "lean");
        assertThat(leanBurst.get(ttr)).isEqualTo("150");
        assertThat(leanBurst.get(mibs)).isEqualTo("19.125");
        assertThat(cells(csv.get(1 + 15)).get(ttr)).as("speed keeps its peak").isEqualTo("never");
        assertThat(cells(csv.get(1 + 15 + 4)).get(ttr)).as("peer").isEmpty();

        List<String> sum = Files.readAllLines(dir.resolve("summary.csv"));
        assertThat(cells(sum.getFirst())).isEqualTo(CsvReporter.SUMMARY_COLUMNS);
        assertThat(sum).hasSize(1 + 10);
        int verdict = CsvReporter.SUMMARY_COLUMNS.indexOf("verdict");
        assertThat(sum.subList(1, sum.size())).extracting(l -> cells(l).get(verdict))
                .containsExactly("", "GO", "NO-GO", "GO", "", "", "NO-GO", "NEUTRAL", "GO", "");
        assertThat(cells(sum.get(6)).get(CsvReporter.SUMMARY_COLUMNS.indexOf("time_to_release_ms_max"))).isEqualTo("never");
    }

    @Test
    void markdownAndChartsAreWritten(@TempDir Path dir) throws Exception {
        Comparison c = comparison(true);
        List<Path> charts = new ChartReporter(dir).report(c);
        assertThat(charts).extracting(p -> p.getFileName().toString()).containsExactly(
                "throughput-mixed.png", "resident-mixed.png", "rss-mixed.png", "tradeoff-mixed.png",
                "throughput-burst.png", "resident-burst.png", "rss-burst.png", "tradeoff-burst.png");
        for (Path p : charts) {
            assertThat(Files.readAllBytes(p)).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        }
        new MarkdownReporter(dir, charts.stream().map(p -> p.getFileName().toString()).toList()).report(c);
        String md = Files.readString(dir.resolve("report.md"));
        assertThat(md).contains("| lean | **NO-GO** |").contains("| balanced | **NO-GO** | releases nothing")
                .contains("![tradeoff-burst.png](tradeoff-burst.png)").contains("Skipped `ffm-mimalloc`")
                .contains(Verdict.RELEASE_RULES).contains(Verdict.STEADY_RULES)
                .contains("| " + SWEEP + " | 19.13 | 150 ms | 0 B | 62.5 MiB | 4.0 |")
                .contains("| speed | 179 | never |")
                .contains("released = resident bytes that left").doesNotContain("Targets");
    }

    @Test
    void consoleShowsReleaseColumnsVerdictsAndRules() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new ConsoleReporter(new PrintStream(bytes, true, StandardCharsets.UTF_8)).report(comparison(false));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("MiB-s held").contains("time to release").contains("re-commit").contains("syscalls/MiB")
                .contains("Verdict on burst (release rules").contains(Verdict.RELEASE_RULES).contains(Verdict.STEADY_RULES)
                .contains(SWEEP).contains("never").doesNotContain("Targets");
    }
}
