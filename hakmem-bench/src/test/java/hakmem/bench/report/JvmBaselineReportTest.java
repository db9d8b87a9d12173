package hakmem.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ObjectNode;
import hakmem.bench.result.RunResult;
import hakmem.bench.result.SyntheticRuns;
import hakmem.bench.run.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The no-alloc JVM baseline: every subject's peak RSS over it, beside the allocator's resident + metadata. */
class JvmBaselineReportTest {

    private static final long MIB = SyntheticRuns.MIB;

    private static RunResult run(String subject, String kind, int r, long peakRss) {
        ObjectNode o = SyntheticRuns.run("mixed", subject, kind, r, 1e6);
        o.put("peakRssBytes", peakRss);
        if (kind.equals("policy")) {
            o.put("allocPeakResidentBytes", 4 * MIB);
            o.put("allocPeakMetadataBytes", MIB / 2);
        }
        SyntheticRuns.marks(o, t -> kind.equals("policy") ? 4 * MIB : -1, 0, 0, "open", 0, "timed-start", 10, "timed-end", 100, "freed", 110);
        return RunResult.fromJson(o);
    }

    private static Comparison comparison() {
        List<RunResult> runs = new ArrayList<>();
        for (int r = 1; r <= 3; r++) {
            runs.add(run("speed", "policy", r, (70 + r) * MIB));
            runs.add(run("unsafe", "peer", r, (80 + r) * MIB));
            runs.add(run("no-alloc", "baseline", r, (55 + r) * MIB)); // median 57 MiB
        }
        return new Comparison(Json.object(), runs, List.of("mixed"), List.of("speed", "unsafe"), "speed", 10e6);
    }

    @Test
    void peakRssIsReadAgainstTheNoAllocJvm() {
        Comparison c = comparison();
        assertThat(c.jvmBaselineRss("mixed")).isEqualTo(57.0 * MIB);
        Summary speed = c.find("mixed", "speed");
        Summary unsafe = c.find("mixed", "unsafe");
        assertThat(speed.rssOverJvmMedian()).isCloseTo(15.0 * MIB, within(1.0)); // 72 - 57
        assertThat(unsafe.rssOverJvmMedian()).isCloseTo(25.0 * MIB, within(1.0)); // 82 - 57
        assertThat(speed.allocFootprintMax()).isEqualTo(4.5 * MIB);
        assertThat(unsafe.allocFootprintMax()).isNaN();
        assertThat(c.summaries()).as("the baseline is not a subject").extracting(Summary::subject).containsExactly("speed", "unsafe");
        assertThat(speed.toJson(null).path("rssOverJvmBaselineBytesMedian").asDouble()).isEqualTo(15.0 * MIB);
        assertThat(speed.toJson(null).path("allocResidentPlusMetadataBytesMax").asDouble()).isEqualTo(4.5 * MIB);
    }

    @Test
    void theConsoleShowsTheFootprintSection() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new ConsoleReporter(new PrintStream(bytes, true, StandardCharsets.UTF_8)).table(comparison(), "mixed");
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("footprint over the JVM baseline (no-alloc").contains("peak RSS 57.0 MiB")
                .contains("alloc resident + metadata").contains("4.5 MiB");
    }

    @Test
    void withoutBaselineRunsThereIsNoSection() {
        List<RunResult> runs = List.of(run("speed", "policy", 1, 70 * MIB));
        Comparison c = new Comparison(Json.object(), runs, List.of("mixed"), List.of("speed"), "speed", 10e6);
        assertThat(c.jvmBaselineRss("mixed")).isNaN();
        assertThat(c.find("mixed", "speed").rssOverJvmMedian()).isNaN();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new ConsoleReporter(new PrintStream(bytes, true, StandardCharsets.UTF_8)).table(c, "mixed");
        assertThat(bytes.toString(StandardCharsets.UTF_8)).doesNotContain("JVM baseline");
    }
}
