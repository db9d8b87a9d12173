package hakmem.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hakmem.bench.run.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shape of results.json, results.csv, summary.csv and report.md, from synthetic runs. */
class CompareReportTest {

    static ObjectNode run(String subject, String kind, int r, double ops, long allocPeak, double sys, boolean ok) {
        ObjectNode o = Json.object();
        o.put("subject", subject);
        o.put("workload", "mixed");
        o.put("kind", kind);
        o.put("run", r);
        o.put("ok", ok);
        o.putObject("params").put("ops", 1000).put("warmup", 10).put("threads", 1).put("ws", 400);
        if (!ok) {
            o.put("error", "CheckFailure: mixed: block 0x10 lost its contents, badly");
            return o;
        }
        o.put("opsPerSec", ops);
        o.put("timedOps", 1000);
        o.put("seconds", 1000 / ops);
        o.put("peakRssBytes", 60_000_000L + allocPeak);
        o.put("checks", 1010);
        o.put("gcCount", 0);
        if (kind.equals("policy")) {
            o.put("allocPeakResidentBytes", allocPeak);
            o.put("allocEndResidentBytes", allocPeak / 2);
            o.put("allocAfterFreeResidentBytes", 0);
            o.put("syscallsPerOp", sys);
            o.put("residentDrift", 0.0);
            o.put("residentDriftBytes", 0);
        } else {
            o.putNull("allocPeakResidentBytes");
            o.putNull("syscallsPerOp");
            o.putNull("residentDrift");
        }
        var series = o.putArray("series");
        for (int i = 0; i < 5; i++) {
            series.addArray().add(i * 20.0).add(kind.equals("policy") ? allocPeak : -1).add(60_000_000L);
        }
        o.putArray("marks");
        return o;
    }

    static CompareReport report(boolean leanFails) {
        List<JsonNode> runs = new ArrayList<>();
        for (int r = 1; r <= 3; r++) {
            runs.add(run("speed", "policy", r, 100e6 + r, 30_000_000, 0, true));
            runs.add(run("balanced", "policy", r, 95e6 + r, 4_000_000, 1e-8, true));
            runs.add(run("lean", "policy", r, 80e6 + r, 1_500_000, 1e-7, !(leanFails && r == 2)));
            runs.add(run("unsafe", "peer", r, 30e6 + r, 0, 0, true));
        }
        ObjectNode header = Json.object();
        header.put("command", "hakmem compare --test");
        header.set("machine", MachineInfo.machine());
        header.set("jdk", MachineInfo.jdk());
        header.putObject("git").put("commit", "abc").put("branch", "t").put("dirty", false);
        header.putObject("options").put("runs", 3);
        header.putArray("skipped").addObject().put("subject", "ffm-mimalloc").put("reason", "not found").put("install", "apt-get install -y libmimalloc2.0");
        return new CompareReport(header, runs, List.of("mixed"), List.of("speed", "balanced", "lean", "unsafe"), "speed", 10e6, 1);
    }

    @Test
    void summariesRatiosAndVerdicts() {
        CompareReport rep = report(false);
        assertThat(rep.summaries()).hasSize(4);
        Summary bal = rep.find("mixed", "balanced");
        assertThat(bal.opsMedian()).isEqualTo(95e6 + 2);
        assertThat(bal.opsMin()).isEqualTo(95e6 + 1);
        assertThat(bal.allocPeakMax()).isEqualTo(4_000_000);
        assertThat(rep.verdicts().get("mixed")).extracting(Verdict::policy).containsExactly("balanced", "lean");
        assertThat(rep.verdicts().get("mixed")).extracting(Verdict::kind).containsExactly(Verdict.Kind.GO, Verdict.Kind.NEUTRAL);
        JsonNode json = rep.toJson();
        assertThat(json.get("summary")).hasSize(4);
        JsonNode balJson = json.get("summary").get(1);
        assertThat(balJson.get("opsRatio").asDouble()).isCloseTo((95e6 + 2) / (100e6 + 2), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(json.get("summary").get(3).get("syscallsPerOpMedian").isNull()).isTrue();
        assertThat(json.get("verdicts").get(0).get("verdict").asText()).isEqualTo("GO");
        assertThat(json.get("runs")).hasSize(12);
        assertThat(json.get("targets").findValuesAsText("target")).anyMatch(t -> t.contains("unsafe"));
        assertThat(rep.targets().getFirst().status()).isEqualTo(Targets.Status.MET); // 95 M / 30 M = 3.17x
    }

    @Test
    void aFailedRunMakesTheVerdictNoGo() {
        CompareReport rep = report(true);
        Verdict lean = rep.verdicts().get("mixed").get(1);
        assertThat(lean.kind()).isEqualTo(Verdict.Kind.NO_GO);
        assertThat(lean.reason()).contains("1 of 3 runs failed").contains("lost its contents");
        assertThat(rep.anyFailed()).isTrue();
    }

    @Test
    void writesEveryFile(@TempDir Path dir) throws Exception {
        List<Path> files = report(true).write(dir, true);
        assertThat(files).extracting(p -> p.getFileName().toString()).contains("results.json", "results.csv",
                "summary.csv", "report.md", "throughput-mixed.png", "resident-mixed.png", "rss-mixed.png");
        List<String> csv = Files.readAllLines(dir.resolve("results.csv"));
        assertThat(csv.getFirst()).isEqualTo(String.join(",", CompareReport.RUN_COLUMNS));
        assertThat(csv).hasSize(1 + 12);
        for (String line : csv.subList(1, csv.size())) {
            assertThat(line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1)).hasSize(CompareReport.RUN_COLUMNS.size());
        }
        assertThat(csv).anyMatch(l -> l.contains("\"CheckFailure: mixed: block 0x10 lost its contents, badly\""));
        List<String> sum = Files.readAllLines(dir.resolve("summary.csv"));
        assertThat(sum.getFirst()).isEqualTo(String.join(",", CompareReport.SUMMARY_COLUMNS));
        assertThat(sum).hasSize(1 + 4);
        JsonNode json = Json.parse(Files.readString(dir.resolve("results.json")));
        assertThat(json.has("machine") && json.has("jdk") && json.has("git") && json.has("options")).isTrue();
        String md = Files.readString(dir.resolve("report.md"));
        assertThat(md).contains("| lean | **NO-GO** |").contains("![throughput-mixed.png](throughput-mixed.png)")
                .contains("Skipped `ffm-mimalloc`").contains("## Targets");
        byte[] png = Files.readAllBytes(dir.resolve("throughput-mixed.png"));
        assertThat(png).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
    }
}
