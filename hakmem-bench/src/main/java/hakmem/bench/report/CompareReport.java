package hakmem.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hakmem.bench.run.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A finished comparison: every run, the summaries per workload and subject, the verdicts and the targets; and the
 * files written from them: {@code results.json}, {@code results.csv} (one row per run), {@code summary.csv},
 * {@code report.md} and the PNG charts.
 */
public final class CompareReport {
    /** Columns of results.csv, one row per run. */
    public static final List<String> RUN_COLUMNS = List.of("workload", "subject", "kind", "run", "ok", "ops_per_sec",
            "timed_ops", "seconds", "peak_rss_bytes", "alloc_peak_resident_bytes", "alloc_end_resident_bytes",
            "alloc_after_free_resident_bytes", "syscalls_per_op", "resident_drift", "checks", "gc_count", "error");
    /** Columns of summary.csv, one row per workload and subject. */
    public static final List<String> SUMMARY_COLUMNS = List.of("workload", "subject", "kind", "runs", "failed",
            "ops_per_sec_median", "ops_per_sec_min", "ops_per_sec_max", "ops_per_sec_cv", "ops_ratio",
            "peak_rss_bytes_median", "alloc_peak_resident_bytes_max", "alloc_end_resident_bytes_median",
            "syscalls_per_op_max", "resident_drift_median");

    private final ObjectNode header;
    private final List<JsonNode> runs;
    private final List<String> workloads;
    private final List<String> subjects;
    private final String baseline;
    private final double targetBytes;
    private final List<Summary> summaries = new ArrayList<>();
    private final Map<String, List<Verdict>> verdicts = new LinkedHashMap<>();
    private final List<Targets.Check> targets;
    private final int mixedThreads;

    /**
     * @param header      everything but the runs: command, machine, jdk, git, options, skipped subjects
     * @param runs        every run object, each with {@code workload}, {@code subject} and {@code run}
     * @param baseline    the subject ratios are taken against
     * @param mixedThreads threads of the mixed runs (for the target names)
     */
    public CompareReport(ObjectNode header, List<JsonNode> runs, List<String> workloads, List<String> subjects,
                         String baseline, double targetBytes, int mixedThreads) {
        this.header = header;
        this.runs = List.copyOf(runs);
        this.workloads = List.copyOf(workloads);
        this.subjects = List.copyOf(subjects);
        this.baseline = baseline;
        this.targetBytes = targetBytes;
        this.mixedThreads = mixedThreads;
        for (String w : workloads) {
            for (String s : subjects) {
                List<JsonNode> mine = this.runs.stream()
                        .filter(r -> w.equals(Json.str(r, "workload", "")) && s.equals(Json.str(r, "subject", ""))).toList();
                if (!mine.isEmpty()) {
                    summaries.add(Summary.of(w, s, mine));
                }
            }
        }
        for (String w : workloads) {
            if (!w.equals("mixed")) {
                continue;
            }
            Summary speed = find(w, "speed");
            List<Verdict> vs = new ArrayList<>();
            for (Summary s : summaries) {
                if (s.workload().equals(w) && s.isPolicy() && !s.subject().equals("speed")) {
                    vs.add(Verdict.decide(s, speed, targetBytes));
                }
            }
            verdicts.put(w, vs);
        }
        targets = Targets.check(summaries, mixedThreads);
    }

    public List<Summary> summaries() {
        return summaries;
    }

    public Map<String, List<Verdict>> verdicts() {
        return verdicts;
    }

    public List<Targets.Check> targets() {
        return targets;
    }

    public boolean anyFailed() {
        return summaries.stream().anyMatch(s -> s.failed() > 0);
    }

    Summary find(String workload, String subject) {
        for (Summary s : summaries) {
            if (s.workload().equals(workload) && s.subject().equals(subject)) {
                return s;
            }
        }
        return null;
    }

    /** The baseline of a workload: --baseline if it has a successful run there, else none. */
    Summary baselineOf(String workload) {
        Summary b = find(workload, baseline);
        return b != null && b.ok() > 0 ? b : null;
    }

    public ObjectNode toJson() {
        ObjectNode o = header.deepCopy();
        o.put("baseline", baseline);
        o.put("targetBytes", targetBytes);
        ArrayNode sum = o.putArray("summary");
        for (Summary s : summaries) {
            sum.add(s.toJson(baselineOf(s.workload())));
        }
        ArrayNode vs = o.putArray("verdicts");
        verdicts.forEach((w, list) -> list.forEach(v -> vs.add(v.toJson().put("workload", w))));
        ArrayNode ts = o.putArray("targets");
        targets.forEach(t -> ts.add(t.toJson()));
        ArrayNode rs = o.putArray("runs");
        runs.forEach(rs::add);
        return o;
    }

    /** Writes results.json, results.csv, summary.csv, report.md and (unless {@code charts} is false) the PNGs. */
    public List<Path> write(Path dir, boolean charts) throws IOException {
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        Path json = dir.resolve("results.json");
        Files.writeString(json, Json.pretty(toJson()) + "\n", StandardCharsets.UTF_8);
        written.add(json);
        Path csv = dir.resolve("results.csv");
        Files.writeString(csv, runsCsv(), StandardCharsets.UTF_8);
        written.add(csv);
        Path sum = dir.resolve("summary.csv");
        Files.writeString(sum, summaryCsv(), StandardCharsets.UTF_8);
        written.add(sum);
        List<String> images = new ArrayList<>();
        if (charts) {
            for (String w : workloads) {
                List<Summary> ws = summaries.stream().filter(s -> s.workload().equals(w)).toList();
                if (ws.isEmpty()) {
                    continue;
                }
                Path tp = dir.resolve("throughput-" + w + ".png");
                Charts.throughput(tp, "Throughput on " + w + " (" + ws.getFirst().runs() + " runs per subject)", ws);
                images.add(tp.getFileName().toString());
                List<Charts.Series> resident = residentSeries(w, false);
                if (!resident.isEmpty()) {
                    Path rp = dir.resolve("resident-" + w + ".png");
                    Charts.timeSeries(rp, "Allocator resident (mincore) on " + w + ", median run; 0 s = timed loop starts",
                            "MiB", resident);
                    images.add(rp.getFileName().toString());
                }
                Path sp = dir.resolve("rss-" + w + ".png");
                Charts.timeSeries(sp, "Process RSS on " + w + ", median run; 0 s = timed loop starts", "MiB",
                        residentSeries(w, true));
                images.add(sp.getFileName().toString());
            }
            images.forEach(i -> written.add(dir.resolve(i)));
        }
        Path md = dir.resolve("report.md");
        Files.writeString(md, markdown(images), StandardCharsets.UTF_8);
        written.add(md);
        return written;
    }

    /**
     * Per subject, the sampled series of its median run, with time 0 at the start of the timed loop (warm-up is
     * negative): the allocator's resident bytes ({@code rss == false}, hakmem only) or the process RSS.
     */
    List<Charts.Series> residentSeries(String workload, boolean rss) {
        List<Charts.Series> out = new ArrayList<>();
        for (Summary s : summaries) {
            if (!s.workload().equals(workload) || s.ok() == 0 || (!rss && !s.isPolicy())) {
                continue;
            }
            JsonNode median = null;
            double best = Double.MAX_VALUE;
            for (JsonNode r : runs) {
                if (workload.equals(Json.str(r, "workload", "")) && s.subject().equals(Json.str(r, "subject", ""))
                        && r.path("ok").asBoolean(false)) {
                    double d = Math.abs(Json.dbl(r, "opsPerSec") - s.opsMedian());
                    if (d < best) {
                        best = d;
                        median = r;
                    }
                }
            }
            if (median == null) {
                continue;
            }
            double zero = 0;
            for (JsonNode m : median.path("marks")) {
                if (m.path("label").asText().equals("timed-start")) {
                    zero = m.path("tMs").asDouble();
                }
            }
            int column = rss ? 2 : 1;
            JsonNode series = median.path("series");
            double[] t = new double[series.size()];
            double[] v = new double[series.size()];
            for (int i = 0; i < series.size(); i++) {
                t[i] = (series.get(i).get(0).asDouble() - zero) / 1000;
                v[i] = series.get(i).get(column).asDouble();
            }
            out.add(new Charts.Series(s.subject(), t, v));
        }
        return out;
    }

    String runsCsv() {
        StringBuilder sb = new StringBuilder(String.join(",", RUN_COLUMNS)).append('\n');
        for (JsonNode r : runs) {
            List<String> row = List.of(Json.str(r, "workload", ""), Json.str(r, "subject", ""), Json.str(r, "kind", ""),
                    Json.str(r, "run", ""), String.valueOf(r.path("ok").asBoolean(false)), num(r, "opsPerSec"),
                    num(r, "timedOps"), num(r, "seconds"), num(r, "peakRssBytes"), num(r, "allocPeakResidentBytes"),
                    num(r, "allocEndResidentBytes"), num(r, "allocAfterFreeResidentBytes"), num(r, "syscallsPerOp"),
                    num(r, "residentDrift"), num(r, "checks"), num(r, "gcCount"), csv(Json.str(r, "error", "")));
            sb.append(String.join(",", row)).append('\n');
        }
        return sb.toString();
    }

    String summaryCsv() {
        StringBuilder sb = new StringBuilder(String.join(",", SUMMARY_COLUMNS)).append('\n');
        for (Summary s : summaries) {
            Summary b = baselineOf(s.workload());
            sb.append(String.join(",", List.of(s.workload(), s.subject(), s.kind(), String.valueOf(s.runs()),
                    String.valueOf(s.failed()), d(s.opsMedian()), d(s.opsMin()), d(s.opsMax()), d(s.opsCv()),
                    b == null ? "" : d(s.opsMedian() / b.opsMedian()), d(s.peakRssMedian()), d(s.allocPeakMax()),
                    d(s.allocEndMedian()), d(s.syscallsPerOpMax()), d(s.driftMedian())))).append('\n');
        }
        return sb.toString();
    }

    private static String num(JsonNode r, String key) {
        JsonNode v = r.get(key);
        return v == null || v.isNull() ? "" : v.asText();
    }

    private static String d(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "" : (v == Math.rint(v) && Math.abs(v) < 1e15
                ? String.valueOf((long) v) : String.valueOf(v));
    }

    static String csv(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
            return '"' + s.replace("\"", "\"\"").replace("\n", " ") + '"';
        }
        return s;
    }

    /** The terminal table of one workload. */
    public void printTable(PrintStream out, String workload) {
        Summary b = baselineOf(workload);
        out.printf(Locale.ROOT, "%n%s%s%n", workload, b == null ? "" : "   (ratios to " + b.subject() + ")");
        out.printf(Locale.ROOT, "  %-13s %11s %19s %6s %7s %10s %11s %11s %11s %7s%n", "subject", "ops/s med", "min..max",
                "CV", "ratio", "peak RSS", "alloc peak", "alloc end", "syscall/op", "runs");
        for (Summary s : summaries) {
            if (!s.workload().equals(workload)) {
                continue;
            }
            out.printf(Locale.ROOT, "  %-13s %11s %19s %6s %7s %10s %11s %11s %11s %7s%n", s.subject(),
                    Format.ops(s.opsMedian()), Format.ops(s.opsMin()).replace(" M", "") + ".." + Format.ops(s.opsMax()),
                    Double.isNaN(s.opsCv()) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", s.opsCv() * 100),
                    b == null ? "n/a" : Format.ratio(s.opsMedian() / b.opsMedian()), Format.bytes(s.peakRssMedian()),
                    Format.bytes(s.allocPeakMax()), Format.bytes(s.allocEndMedian()),
                    s.isPolicy() ? Format.sci(s.syscallsPerOpMax()) : "n/a",
                    s.failed() > 0 ? s.ok() + "/" + s.runs() + "!" : String.valueOf(s.runs()));
            if (!Double.isNaN(s.burstPre())) {
                out.printf(Locale.ROOT, "  %-13s burst (%s): pre %s, peak %s, end %s (%.2fx pre)%n", "",
                        s.isPolicy() ? "allocator resident" : "process RSS", Format.bytes(s.burstPre()),
                        Format.bytes(s.burstPeak()), Format.bytes(s.burstEnd()), s.burstEnd() / s.burstPre());
            }
        }
        for (Summary s : summaries) {
            if (s.workload().equals(workload) && s.failed() > 0) {
                out.printf("  ! %s: %d of %d runs failed: %s%n", s.subject(), s.failed(), s.runs(), s.firstError());
            }
        }
    }

    public void printVerdicts(PrintStream out) {
        verdicts.forEach((w, list) -> {
            if (list.isEmpty()) {
                return;
            }
            out.printf("%nVerdict on %s (lean-family policies vs speed):%n", w);
            for (Verdict v : list) {
                out.printf("  %-10s %-8s %s%n", v.policy(), v.kind().label(), v.reason());
            }
        });
    }

    public void printTargets(PrintStream out) {
        out.printf("%nTargets (issue 5):%n");
        for (Targets.Check t : targets) {
            out.printf("  %-8s %s: %s%n", t.status() == Targets.Status.NOT_MET ? "NOT MET" : t.status() == Targets.Status.NA
                    ? "n/a" : "MET", t.target(), t.measured());
        }
    }

    String markdown(List<String> images) {
        StringBuilder sb = new StringBuilder();
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
                + "baseline for ratios: `%s`%n", opt.path("runs").asText(), baseline));
        JsonNode props = header.path("hakmemProperties");
        if (props.size() > 0) {
            sb.append("- hakmem properties passed to every run: `").append(Json.line(props)).append("`\n");
        }
        for (JsonNode s : header.path("skipped")) {
            sb.append("- Skipped `").append(s.path("subject").asText()).append("`: ").append(s.path("reason").asText())
                    .append(s.path("install").asText().isEmpty() ? "" : "; install: `" + s.path("install").asText() + "`")
                    .append('\n');
        }
        if (opt.path("quick").asBoolean(false)) {
            sb.append("\n**--quick**: each run times about a million ops (tens of milliseconds), before the JIT has "
                    + "settled; the figures show that every subject works and its memory behaviour, not its speed. "
                    + "Measure without --quick.\n");
        }
        sb.append('\n');
        sb.append("Figures: ops/s of the timed loop (median of the runs, min..max, coefficient of variation); peak RSS = the "
                + "process's VmHWM (the JVM alone is ~56 MB); alloc peak = highest allocator resident bytes sampled (mincore "
                + "over its own mappings; max over runs), alloc end = resident at the end of the timed loop (median); "
                + "syscalls/op = (mmap + munmap + madvise) in the timed loop / ops, worst run. Peers cannot report their "
                + "own resident bytes or syscalls: n/a.\n");
        for (String w : workloads) {
            Summary b = baselineOf(w);
            JsonNode params = runs.stream().filter(r -> w.equals(Json.str(r, "workload", "")) && r.has("params"))
                    .map(r -> r.get("params")).findFirst().orElse(Json.object());
            sb.append("\n## ").append(w).append("\n\n");
            sb.append("Parameters: `").append(Json.line(params)).append("`");
            sb.append(b == null ? "; no baseline run" : "; ratios to `" + b.subject() + "`").append("\n\n");
            sb.append("| subject | ops/s (median) | min..max | CV | ratio | peak RSS | alloc peak | alloc end | syscalls/op | drift | runs ok |\n");
            sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (Summary s : summaries) {
                if (!s.workload().equals(w)) {
                    continue;
                }
                sb.append(String.format(Locale.ROOT, "| %s | %s | %s..%s | %s | %s | %s | %s | %s | %s | %s | %d/%d |%n",
                        s.subject(), Format.ops(s.opsMedian()), Format.ops(s.opsMin()), Format.ops(s.opsMax()),
                        Double.isNaN(s.opsCv()) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", s.opsCv() * 100),
                        b == null ? "n/a" : Format.ratio(s.opsMedian() / b.opsMedian()), Format.bytes(s.peakRssMedian()),
                        Format.bytes(s.allocPeakMax()), Format.bytes(s.allocEndMedian()),
                        s.isPolicy() ? Format.sci(s.syscallsPerOpMax()) : "n/a",
                        s.isPolicy() && !w.equals("burst") ? Format.percent(s.driftMedian()) : "n/a", s.ok(), s.runs()));
            }
            List<Summary> bursts = summaries.stream().filter(s -> s.workload().equals(w) && !Double.isNaN(s.burstPre())).toList();
            if (!bursts.isEmpty()) {
                sb.append("\n| subject | measure | pre-burst | peak | end (after idle) | end / pre |\n|---|---|---:|---:|---:|---:|\n");
                for (Summary s : bursts) {
                    sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %.2fx |%n", s.subject(),
                            s.isPolicy() ? "allocator resident" : "process RSS", Format.bytes(s.burstPre()),
                            Format.bytes(s.burstPeak()), Format.bytes(s.burstEnd()), s.burstEnd() / s.burstPre()));
                }
            }
            for (Summary s : summaries) {
                if (s.workload().equals(w) && s.failed() > 0) {
                    sb.append("\n**").append(s.subject()).append("**: ").append(s.failed()).append(" of ").append(s.runs())
                            .append(" runs failed: ").append(s.firstError()).append('\n');
                }
            }
            for (Summary s : summaries) {
                if (s.workload().equals(w) && !s.detail().isEmpty()) {
                    sb.append("\n- `").append(s.subject()).append("`: ").append(s.detail());
                }
            }
            sb.append('\n');
            for (String img : images) {
                if (img.equals("throughput-" + w + ".png") || img.equals("resident-" + w + ".png")
                        || img.equals("rss-" + w + ".png")) {
                    sb.append("\n![").append(img).append("](").append(img).append(")\n");
                }
            }
            List<Verdict> vs = verdicts.get(w);
            if (vs != null && !vs.isEmpty()) {
                sb.append("\n### Verdict (lean-family policies vs `speed`)\n\n| policy | verdict | reason |\n|---|---|---|\n");
                for (Verdict v : vs) {
                    sb.append("| ").append(v.policy()).append(" | **").append(v.kind().label()).append("** | ")
                            .append(v.reason().replace("|", "/")).append(" |\n");
                }
                sb.append("\nRules: NO-GO if any run failed, syscalls > 1e-4/op, or the peak resident does not fall below "
                        + "speed's; GO if peak resident < target, |drift| <= 1% and throughput >= 0.90x speed; NEUTRAL "
                        + "otherwise (memory falls but throughput drops more than 10%, or falls but misses the target).\n");
            }
        }
        sb.append("\n## Targets (issue 5)\n\n| target | status | measured |\n|---|---|---|\n");
        for (Targets.Check t : targets) {
            sb.append("| ").append(t.target()).append(" | ").append(t.status() == Targets.Status.NOT_MET ? "**NOT MET**"
                    : t.status() == Targets.Status.NA ? "n/a" : "MET").append(" | ").append(t.measured().replace("|", "/"))
                    .append(" |\n");
        }
        sb.append("\n## Runs\n\n| workload | subject | run | ok | ops/s | peak RSS | alloc peak | syscalls/op | checks | error |\n"
                + "|---|---|---:|---|---:|---:|---:|---:|---:|---|\n");
        for (JsonNode r : runs) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    Json.str(r, "workload", ""), Json.str(r, "subject", ""), Json.str(r, "run", ""),
                    r.path("ok").asBoolean(false) ? "yes" : "**no**", Format.ops(Json.dbl(r, "opsPerSec")),
                    Format.bytes(Json.dbl(r, "peakRssBytes")), Format.bytes(Json.dbl(r, "allocPeakResidentBytes")),
                    Format.sci(Json.dbl(r, "syscallsPerOp")), Json.str(r, "checks", ""),
                    Json.str(r, "error", "").replace("|", "/")));
        }
        sb.append("\nFiles: `results.json` (every run with its samples and marks, machine, JDK, options, commit), "
                + "`results.csv` (one row per run), `summary.csv`, `logs/` (each run's standard error).\n");
        return sb.toString();
    }
}
