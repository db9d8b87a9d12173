package hakmem.bench.report;

import static hakmem.bench.result.SyntheticRuns.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Live bytes and the footprint as a multiple of live (medium, large) in the model and every reporter. */
class LiveBytesReportTest {
    static final long LIVE_PEAK = 13 * MIB;
    static final long LIVE_END = 12 * MIB;

    /** medium: speed holds 26 MiB (2.00x live), lean 16.25 MiB (1.25x); a peer's RSS grows 19.5 MiB over the JVM (1.50x). */
    static Comparison comparison() {
        List<RunResult> runs = new ArrayList<>();
        for (int r = 1; r <= 3; r++) {
            runs.add(RunResult.fromJson(SyntheticRuns.steady("medium", "speed", "policy", r, 2e6 + r, 26 * MIB, LIVE_PEAK,
                    LIVE_END, 100_000_000L)));
            runs.add(RunResult.fromJson(SyntheticRuns.steady("medium", "lean", "policy", r, 1.5e6 + r, 65 * MIB / 4, LIVE_PEAK,
                    LIVE_END, 90_000_000L)));
            runs.add(RunResult.fromJson(SyntheticRuns.steady("medium", "ffm-mimalloc", "peer", r, 2.5e6 + r, 0, LIVE_PEAK,
                    LIVE_END, 60_000_000L + 39 * MIB / 2)));
            runs.add(RunResult.fromJson(SyntheticRuns.mixed("speed", "policy", r, 100e6, 400 * 1024, 0)));
        }
        ObjectNode header = Json.object();
        header.put("command", "hakmem compare --test");
        header.set("machine", MachineInfo.machine());
        header.set("jdk", MachineInfo.jdk());
        header.putObject("git").put("commit", "abc").put("branch", "t").put("dirty", false);
        header.putObject("options").put("runs", 3);
        header.putArray("skipped");
        return new Comparison(header, runs, List.of("medium", "mixed"), List.of("speed", "lean", "ffm-mimalloc"), "speed", 10e6);
    }

    @Test
    void summariesHoldLiveBytesAndTheMultipleWithWhatItMeasures() {
        Comparison c = comparison();
        Summary lean = c.find("medium", "lean");
        assertThat(lean.livePeakMedian()).isEqualTo(LIVE_PEAK);
        assertThat(lean.liveEndMedian()).isEqualTo(LIVE_END);
        assertThat(lean.peakOverLive()).isEqualTo(1.25);
        assertThat(lean.peakOverLiveMeasure()).isEqualTo(Summary.ALLOCATOR_RESIDENT);
        assertThat(lean.allocMappedPeakMax()).isEqualTo(3 * LIVE_PEAK);
        assertThat(lean.mappedOverLive()).isEqualTo(3.0);
        assertThat(c.find("medium", "speed").peakOverLive()).isEqualTo(2.0);
        Summary peer = c.find("medium", "ffm-mimalloc");
        assertThat(peer.peakOverLive()).isEqualTo(1.5);
        assertThat(peer.peakOverLiveMeasure()).isEqualTo(Summary.RSS_OVER_BASELINE);
        assertThat(peer.mappedOverLive()).as("peers cannot tell").isNaN();
        Summary mixed = c.find("mixed", "speed");
        assertThat(mixed.livePeakMedian()).as("runs without live bytes").isNaN();
        assertThat(mixed.peakOverLive()).isNaN();
        assertThat(mixed.peakOverLiveMeasure()).isNull();
        // medium is judged by the steady-state rules: lean holds less than speed, but not under the 10 MB target
        assertThat(c.verdict("medium", "lean").kind()).isEqualTo(Verdict.Kind.NEUTRAL);
        assertThat(c.verdict("medium", "ffm-mimalloc")).isNull();
    }

    @Test
    void consoleShowsLivePeakAndTheMultiple() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new ConsoleReporter(new PrintStream(bytes, true, StandardCharsets.UTF_8)).report(comparison());
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("live peak").contains("peak/live").contains("mapped/live").contains("3.00x").contains("13.0 MiB").contains("2.00x")
                .contains("1.25x").contains("1.50x*").contains(Format.PEAK_OVER_LIVE_RSS_NOTE)
                .contains("Verdict on medium (steady-state rules");
        String mixedRow = out.lines().filter(l -> l.startsWith("  speed") && l.contains("400 KiB")).findFirst().orElseThrow();
        assertThat(mixedRow).contains("n/a");
    }

    @Test
    void csvHasLiveAndMultipleColumns(@TempDir Path dir) throws Exception {
        new CsvReporter(dir).report(comparison());
        List<String> runs = Files.readAllLines(dir.resolve("results.csv"));
        List<String> lean = ReportersTest.cells(runs.get(2));
        assertThat(lean.subList(0, 2)).containsExactly("medium", "lean");
        assertThat(lean.get(CsvReporter.RUN_COLUMNS.indexOf("live_peak_bytes"))).isEqualTo(String.valueOf(LIVE_PEAK));
        assertThat(lean.get(CsvReporter.RUN_COLUMNS.indexOf("live_end_bytes"))).isEqualTo(String.valueOf(LIVE_END));
        assertThat(lean.get(CsvReporter.RUN_COLUMNS.indexOf("rss_baseline_bytes"))).isEqualTo("60000000");
        assertThat(lean.get(CsvReporter.RUN_COLUMNS.indexOf("alloc_peak_mapped_bytes"))).isEqualTo(String.valueOf(3 * LIVE_PEAK));
        for (String line : runs.subList(1, runs.size())) {
            assertThat(ReportersTest.cells(line)).hasSize(CsvReporter.RUN_COLUMNS.size());
        }
        List<String> sum = Files.readAllLines(dir.resolve("summary.csv"));
        List<String> peer = ReportersTest.cells(sum.get(3));
        assertThat(peer.get(1)).isEqualTo("ffm-mimalloc");
        assertThat(peer.get(CsvReporter.SUMMARY_COLUMNS.indexOf("peak_over_live"))).isEqualTo("1.5");
        assertThat(peer.get(CsvReporter.SUMMARY_COLUMNS.indexOf("peak_over_live_measure"))).isEqualTo(Summary.RSS_OVER_BASELINE);
        assertThat(peer.get(CsvReporter.SUMMARY_COLUMNS.indexOf("live_peak_bytes_median"))).isEqualTo(String.valueOf(LIVE_PEAK));
        assertThat(peer.get(CsvReporter.SUMMARY_COLUMNS.indexOf("mapped_over_live"))).isEmpty();
        assertThat(ReportersTest.cells(sum.get(2)).get(CsvReporter.SUMMARY_COLUMNS.indexOf("mapped_over_live"))).isEqualTo("3");
        List<String> mixed = ReportersTest.cells(sum.get(4));
        assertThat(mixed.get(CsvReporter.SUMMARY_COLUMNS.indexOf("peak_over_live"))).isEmpty();
        for (String line : sum.subList(1, sum.size())) {
            assertThat(ReportersTest.cells(line)).hasSize(CsvReporter.SUMMARY_COLUMNS.size());
        }
    }

    @Test
    void jsonHasLiveAndMultipleFields() {
        JsonNode json = JsonReporter.toJson(comparison());
        JsonNode lean = json.get("summary").get(1);
        assertThat(lean.get("subject").asText()).isEqualTo("lean");
        assertThat(lean.get("livePeakBytesMedian").asLong()).isEqualTo(LIVE_PEAK);
        assertThat(lean.get("liveEndBytesMedian").asLong()).isEqualTo(LIVE_END);
        assertThat(lean.get("peakOverLive").asDouble()).isCloseTo(1.25, within(1e-12));
        assertThat(lean.get("peakOverLiveMeasure").asText()).isEqualTo(Summary.ALLOCATOR_RESIDENT);
        assertThat(lean.get("mappedOverLive").asDouble()).isEqualTo(3.0);
        assertThat(lean.get("allocPeakMappedBytesMax").asLong()).isEqualTo(3 * LIVE_PEAK);
        assertThat(json.get("summary").get(2).get("peakOverLiveMeasure").asText()).isEqualTo(Summary.RSS_OVER_BASELINE);
        JsonNode mixed = json.get("summary").get(3);
        assertThat(mixed.get("peakOverLive").isNull()).isTrue();
        assertThat(mixed.get("peakOverLiveMeasure").isNull()).isTrue();
        assertThat(json.get("runs").get(0).get("livePeakBytes").asLong()).isEqualTo(LIVE_PEAK);
    }

    @Test
    void markdownHasLivePeakAndTheMultiple(@TempDir Path dir) throws Exception {
        new MarkdownReporter(dir, List.of()).report(comparison());
        String md = Files.readString(dir.resolve("report.md"));
        assertThat(md).contains("| live peak | peak / live |").contains("| 13.0 MiB | 1.25x | 3.00x | 3/3 |")
                .contains("| 13.0 MiB | 1.50x* | n/a | 3/3 |").contains("| mapped / live |").contains(Format.PEAK_OVER_LIVE_RSS_NOTE)
                .contains("peak / live = alloc peak / live peak");
    }
}
