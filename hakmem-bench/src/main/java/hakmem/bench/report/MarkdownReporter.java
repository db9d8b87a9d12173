package hakmem.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import hakmem.bench.result.ReleaseFigures;
import hakmem.bench.result.RunResult;
import hakmem.bench.run.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** {@code report.md}: readable alone: setup, per workload the tables, charts and verdicts with their rules, every run. */
public final class MarkdownReporter implements Reporter {
    private final Path dir;
    private final List<String> images;

    /** @param images the chart files written next to it (file names), linked where they belong */
    public MarkdownReporter(Path dir, List<String> images) {
        this.dir = dir;
        this.images = List.copyOf(images);
    }

    @Override
    public List<Path> report(Comparison c) throws IOException {
        Files.createDirectories(dir);
        Path md = dir.resolve("report.md");
        Files.writeString(md, markdown(c), StandardCharsets.UTF_8);
        return List.of(md);
    }

    String markdown(Comparison c) {
        StringBuilder sb = new StringBuilder();
        JsonNode header = c.header();
        sb.append("# hakmem compare\n\n");
        sb.append("Command: `").append(Json.str(header, "command", "")).append("`\n\n");
        JsonNode m = header.path("machine");
        JsonNode j = header.path("jdk");
        JsonNode g = header.path("git");
        sb.append(String.format(Locale.ROOT, "- Machine: %s, %d CPUs, %s RAM, %s (%s)%n", m.path("cpu").asText(),
                m.path("cpus").asInt(), Format.bytes(m.path("memTotalBytes").asDouble()), m.path("distro").asText(),
                m.path("os").asText()));
        sb.append(String.format(Locale.ROOT, "- JDK: %s %s (%s)%n", j.path("vendor").asText(), j.path("version").asText(),
                j.path("vm").asText()));
        sb.append(String.format(Locale.ROOT, "- Commit: %s on %s%s%n", g.path("commit").asText(), g.path("branch").asText(),
                g.path("dirty").asBoolean() ? " (with uncommitted changes)" : ""));
        sb.append("- Started: ").append(Json.str(header, "startedAt", "")).append(", finished: ")
                .append(Json.str(header, "finishedAt", "")).append('\n');
        sb.append("- Load average (1/5/15 min) at start: ").append(m.path("loadAverage").asText("unknown"))
                .append(", at end: ").append(Json.str(header, "loadAverageAtEnd", "unknown"))
                .append(" (").append(m.path("cpus").asInt()).append(" CPUs; other work on the machine skews every figure)\n");
        JsonNode opt = header.path("options");
        sb.append(String.format(Locale.ROOT, "- Runs: %s per subject, interleaved (A B C A B C ...), each in its own JVM; "
                + "baseline for ratios: `%s`%n", opt.path("runs").asText(), c.baseline()));
        JsonNode props = header.path("hakmemProperties");
        if (props.size() > 0) {
            sb.append("- hakmem properties passed to every run: `").append(Json.line(props)).append("`\n");
        }
        for (JsonNode s : header.path("skipped")) {
            sb.append("- Skipped `").append(s.path("subject").asText()).append("`: ").append(s.path("reason").asText())
                    .append(s.path("install").asText().isEmpty() ? "" : "; install: `" + s.path("install").asText() + "`")
                    .append('\n');
        }
        if (c.quick()) {
            sb.append("\n**--quick**: each run times about a million ops (tens of milliseconds), before the JIT has "
                    + "settled; the figures show that every subject works and its memory behaviour, not its speed. "
                    + "Measure without --quick.\n");
        }
        sb.append('\n');
        sb.append("Figures: ops/s of the timed loop (median of the runs, min..max, coefficient of variation); peak RSS = the "
                + "process's VmHWM (the JVM alone is ~56 MB); alloc peak = highest allocator resident bytes sampled (mincore "
                + "over its own mappings; max over runs), alloc end = resident at the end of the timed loop (median); "
                + "syscalls/op = (mmap + munmap + madvise) in the timed loop / ops, worst run; live peak = the highest sum of the sizes "
                + "of the blocks the workload held (mixed, medium, large, burst; median run), peak / live = alloc peak / live "
                + "peak, the footprint as a multiple of what the program holds; mapped / live = the most address space the allocator "
                + "had mapped at once / live peak (hakmem only): the loops write two bytes per block, so resident counts only "
                + "the pages touched, and for blocks of many pages mapped is what a program that fills its blocks would hold. Release figures (hakmem "
                + "only, over the timed window): MiB-s held = area under the allocator-resident curve (median run); time "
                + "to release = from the burst's free until resident is within 2x of pre-burst (worst run and cycle; "
                + "never = not before the idle ended); re-commit = bytes that left residency and came back within 1 s "
                + "(median run); released = resident bytes that left, the sum of the curve's falls (median run); "
                + "syscalls/MiB = syscalls per MiB released (worst run). The curve is the sampler's samples (every "
                + "--sample-ms), each held until the next: figures are exact to one sampling period. Peers cannot "
                + "report their own resident bytes or syscalls: n/a.\n");
        for (String w : c.workloads()) {
            workload(sb, c, w);
        }
        sb.append("\n## Runs\n\n| workload | subject | run | ok | ops/s | peak RSS | alloc peak | syscalls/op | MiB-s held "
                + "| time to release | checks | error |\n|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (RunResult r : c.runs()) {
            ReleaseFigures f = ReleaseFigures.of(r);
            sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    r.workload(), r.subject(), r.run(), r.ok() ? "yes" : "**no**", Format.ops(r.opsPerSec()),
                    Format.bytes(r.peakRssBytes()), Format.bytes(r.allocPeakResidentBytes()), Format.sci(r.syscallsPerOp()),
                    Format.mibSeconds(f.mibSeconds()), Format.millis(f.timeToReleaseMs()), r.ok() ? r.checks() : "",
                    r.error() == null ? "" : r.error().replace("|", "/")));
        }
        sb.append("\nFiles: `results.json` (every run with its samples and marks, machine, JDK, options, commit), "
                + "`results.csv` (one row per run), `summary.csv`, `logs/` (each run's standard error).\n");
        return sb.toString();
    }

    private void workload(StringBuilder sb, Comparison c, String w) {
        Summary b = c.baselineOf(w);
        List<Summary> ss = c.summaries(w);
        sb.append("\n## ").append(w).append("\n\n");
        sb.append("Parameters: `").append(Json.line(c.params(w))).append("`");
        sb.append(b == null ? "; no baseline run" : "; ratios to `" + b.subject() + "`").append("\n\n");
        sb.append("| subject | ops/s (median) | min..max | CV | ratio | peak RSS | alloc peak | alloc end | syscalls/op | drift "
                + "| live peak | peak / live | mapped / live | runs ok |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Summary s : ss) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s..%s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %d/%d |%n",
                    s.subject(), Format.ops(s.opsMedian()), Format.ops(s.opsMin()), Format.ops(s.opsMax()),
                    Double.isNaN(s.opsCv()) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", s.opsCv() * 100),
                    b == null ? "n/a" : Format.ratio(s.opsMedian() / b.opsMedian()), Format.bytes(s.peakRssMedian()),
                    Format.bytes(s.allocPeakMax()), Format.bytes(s.allocEndMedian()),
                    s.isPolicy() ? Format.sci(s.syscallsPerOpMax()) : "n/a",
                    s.isPolicy() && !w.equals("burst") ? Format.percent(s.driftMedian()) : "n/a",
                    Format.bytes(s.livePeakMedian()), Format.peakOverLive(s), Format.ratio(s.mappedOverLive()), s.ok(), s.runs()));
        }
        if (ss.stream().anyMatch(s -> Summary.RSS_OVER_BASELINE.equals(s.peakOverLiveMeasure()))) {
            sb.append("\n").append(Format.PEAK_OVER_LIVE_RSS_NOTE).append(".\n");
        }
        double jvm = c.jvmBaselineRss(w);
        if (!Double.isNaN(jvm)) {
            sb.append(String.format(Locale.ROOT, "%nFootprint over the JVM baseline (`no-alloc`: the same loop and JVM options with no "
                    + "allocator; its peak RSS %s):%n%n| subject | peak RSS - JVM baseline | alloc resident + metadata |%n|---|---:|---:|%n",
                    Format.bytes(jvm)));
            for (Summary s : ss) {
                sb.append(String.format(Locale.ROOT, "| %s | %s | %s |%n", s.subject(), Format.bytes(s.rssOverJvmMedian()),
                        Format.footprint(s)));
            }
        }
        List<Summary> release = ss.stream().filter(Summary::hasReleaseFigures).toList();
        if (!release.isEmpty()) {
            sb.append("\n| subject | MiB-s held | time to release | re-commit (1 s) | released | syscalls / MiB released |\n"
                    + "|---|---:|---:|---:|---:|---:|\n");
            for (Summary s : release) {
                sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", s.subject(),
                        Format.mibSeconds(s.mibSecondsMedian()), Format.millis(s.timeToReleaseMsMax()),
                        Format.bytes(s.recommitBytesMedian()), Format.bytes(s.releasedBytesMedian()),
                        Format.decimal(s.syscallsPerMibReleasedMax())));
            }
        }
        List<Summary> bursts = ss.stream().filter(s -> !Double.isNaN(s.burstPre())).toList();
        if (!bursts.isEmpty()) {
            sb.append("\n| subject | measure | pre-burst | peak | end (after idle) | end / pre |\n|---|---|---:|---:|---:|---:|\n");
            for (Summary s : bursts) {
                sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %.2fx |%n", s.subject(),
                        s.isPolicy() ? "allocator resident" : "process RSS", Format.bytes(s.burstPre()),
                        Format.bytes(s.burstPeak()), Format.bytes(s.burstEnd()), s.burstEnd() / s.burstPre()));
            }
        }
        for (Summary s : ss) {
            if (s.failed() > 0) {
                sb.append("\n**").append(s.subject()).append("**: ").append(s.failed()).append(" of ").append(s.runs())
                        .append(" runs failed: ").append(s.firstError()).append('\n');
            }
        }
        for (Summary s : ss) {
            if (!s.detail().isEmpty()) {
                sb.append("\n- `").append(s.subject()).append("`: ").append(s.detail());
            }
        }
        sb.append('\n');
        for (String img : ChartReporter.names(w)) {
            if (images.contains(img)) {
                sb.append("\n![").append(img).append("](").append(img).append(")\n");
            }
        }
        List<Verdict> vs = c.verdicts().get(w);
        if (vs != null && !vs.isEmpty()) {
            sb.append("\n### Verdict (lean-family policies vs `speed`, ").append(Comparison.isRelease(w) ? "release" : "steady-state")
                    .append(" rules)\n\n| policy | verdict | reason |\n|---|---|---|\n");
            for (Verdict v : vs) {
                sb.append("| ").append(v.policy()).append(" | **").append(v.kind().label()).append("** | ")
                        .append(v.reason().replace("|", "/")).append(" |\n");
            }
            sb.append('\n').append(Comparison.isRelease(w) ? Verdict.RELEASE_RULES : Verdict.STEADY_RULES).append('\n');
        }
    }
}
