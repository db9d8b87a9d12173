package hakmem.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hakmem.api.OptionValue;
import hakmem.bench.report.ChartReporter;
import hakmem.bench.report.Comparison;
import hakmem.bench.report.ConsoleReporter;
import hakmem.bench.report.CsvReporter;
import hakmem.bench.report.JsonReporter;
import hakmem.bench.report.MarkdownReporter;
import hakmem.bench.report.Format;
import hakmem.bench.report.MachineInfo;
import hakmem.bench.report.Progress;
import hakmem.bench.run.Forker;
import hakmem.bench.result.RunResult;
import hakmem.bench.run.Json;
import hakmem.bench.subject.SubjectSpec;
import hakmem.bench.subject.Subjects;
import hakmem.bench.sim.SimConfig;
import hakmem.bench.trace.TraceException;
import hakmem.bench.workload.Params;
import hakmem.bench.workload.TimeMode;
import hakmem.bench.workload.TraceReplay;
import hakmem.bench.workload.Workload;
import hakmem.bench.workload.Workloads;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The project's main job: subjects side by side on a workload, each run in its own JVM, interleaved
 * (A B C A B C ...) so drift of the machine spreads evenly; the tables, the verdicts and the files.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compare hakmem policies and peer allocators side by side (default: speed, balanced, lean on "
                + "Mixed WS=400 and burst, 5 runs each, interleaved, each run in its own JVM).",
            "Prints the tables and the GO / NO-GO / NEUTRAL verdict of each lean-family policy against speed per workload "
                + "(burst: the release rules); writes results.json, results.csv, summary.csv, report.md and PNG charts under --out.",
            "-Dhakmem.* properties given to ./hakmem are passed to every run. Exit code 0 if every run passed, 1 if any failed."})
final class CompareCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--policies", split = ",", defaultValue = "speed,balanced,lean",
            description = {"hakmem policy ids, comma-separated; 'none' for peers only (default ${DEFAULT-VALUE}).",
                "A policy with inline options is a subject of its own (a sweep point): id@name=value[@name=value...], "
                    + "e.g. lean,lean@ss.mem.lean.delay.ms=100@lean.keep.slabs=2. Every policy and option is checked "
                    + "once (Hakmem.open) before any run starts."})
    List<String> policies;

    @Option(names = "--peers", split = ",", description = "peers, comma-separated, or 'all': "
            + "ffm-malloc, ffm-mimalloc, ffm-jemalloc, unsafe, netty, arena (default: none)")
    List<String> peers = new ArrayList<>();

    @Option(names = {"--workload", "--workloads"}, split = ",", defaultValue = "mixed,burst",
            description = "workloads, comma-separated: mixed, medium, large, burst, remote, larson, churn, trace:FILE (a recorded trace) (default ${DEFAULT-VALUE})")
    List<String> workloads;

    @Option(names = "--runs", description = "runs per subject and workload (default 5; --quick 3)")
    Integer runs;

    @Mixin
    WorkloadOptions counts;

    @Mixin
    OsOptions osOptions;

    @Option(names = "--out", description = "output directory (default bench-results/<timestamp>/)")
    Path out;

    @Option(names = "--json", description = "print results.json on stdout (the table goes to stderr)")
    boolean json;

    @Option(names = "--baseline", defaultValue = "speed", description = "subject the ratios are taken against (default ${DEFAULT-VALUE})")
    String baseline;

    @Option(names = "--target-mb", defaultValue = "10", description = "verdict: peak allocator resident target in MB (default ${DEFAULT-VALUE})")
    double targetMb;

    @Option(names = "--sample-ms", defaultValue = "20", description = "resident sampling period inside each run (default ${DEFAULT-VALUE})")
    long sampleMs;

    @Option(names = "--jvm-arg", description = "extra JVM argument for every forked run (repeatable), e.g. --jvm-arg=-Xmx1g")
    List<String> jvmArgs = new ArrayList<>();

    @Option(names = "--timeout", defaultValue = "900", description = "seconds before a run is killed and counted as failed (default ${DEFAULT-VALUE})")
    long timeout;

    @Option(names = "--no-charts", description = "skip the PNG charts")
    boolean noCharts;

    @Override
    public Integer call() throws Exception {
        PrintStream err = System.err;
        List<String> subjects = new ArrayList<>();
        ArrayNode skipped = Json.MAPPER.createArrayNode();
        for (String p : policies) {
            String text = p.strip();
            if (text.isEmpty() || text.equals("none")) {
                continue;
            }
            SubjectSpec subject;
            try {
                subject = SubjectSpec.parse(text);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--policies: " + e.getMessage());
            }
            if (subject.isPeer()) {
                throw new ParameterException(spec.commandLine(), "--policies: '" + subject.id() + "' is a peer: give it to --peers");
            }
            if (!subjects.contains(subject.label())) {
                check(subject);
                subjects.add(subject.label());
            }
        }
        List<String> peerIds = new ArrayList<>();
        for (String p : peers) {
            if (p.trim().equals("all")) {
                peerIds.addAll(Subjects.PEERS);
            } else if (!p.isBlank()) {
                peerIds.add(p.trim());
            }
        }
        for (String p : peerIds) {
            if (!Subjects.isPeer(p)) {
                throw new ParameterException(spec.commandLine(), "peer '" + p + "' not found; peers: " + Subjects.PEERS);
            }
            Subjects.Availability a = Subjects.availability(p);
            if (!a.available()) {
                err.println("hakmem compare: skipping " + p + ": " + a.detail() + (a.install().isEmpty() ? "" : "\n  install: " + a.install()));
                skipped.addObject().put("subject", p).put("reason", a.detail()).put("install", a.install());
            } else if (!subjects.contains(p)) {
                subjects.add(p);
            }
        }
        if (subjects.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "nothing to compare: no policy and no available peer");
        }
        SimConfig sim;
        TimeMode time;
        List<Workload> ws = new ArrayList<>();
        try {
            sim = osOptions.resolve();
            time = counts.timeMode();
            for (String w : workloads) {
                ws.add(Workloads.byId(w.trim(), time, OsOptions.opNanos(sim)));
            }
            for (Workload w : ws) {
                if (w instanceof TraceReplay t) {
                    t.trace(); // a bad trace fails here, before any run
                }
            }
        } catch (IllegalArgumentException | TraceException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (sim != null) {
            for (String s : subjects) {
                if (Subjects.isPeer(s)) {
                    throw new ParameterException(spec.commandLine(), "peer '" + s + "' cannot run on the simulated OS (--os sim): "
                            + "it calls the real OS itself; leave --peers out or use --os real");
                }
            }
        }
        int n = runs != null ? runs : counts.quick ? 3 : 5;
        if (n < 1) {
            throw new ParameterException(spec.commandLine(), "--runs must be at least 1: " + n);
        }
        Path dir = out != null ? out : Path.of("bench-results", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        List<String> runArgs = new ArrayList<>();
        runArgs.add("--time=" + time.text());
        if (sim != null) {
            runArgs.addAll(sim.args());
        }
        Forker forker = new Forker(jvmArgs, timeout, counts.quick).withRunArgs(runArgs);

        ObjectNode header = Json.object();
        header.put("tool", "hakmem compare");
        header.put("formatVersion", 2); // 2: release figures and per-workload verdicts, no targets
        header.put("command", "hakmem " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
        header.put("startedAt", OffsetDateTime.now().toString());
        header.set("machine", MachineInfo.machine());
        header.set("jdk", MachineInfo.jdk());
        header.set("git", MachineInfo.git());
        ObjectNode opts = header.putObject("options");
        opts.put("runs", n);
        opts.put("baseline", baseline);
        opts.put("targetMb", targetMb);
        opts.put("sampleMs", sampleMs);
        opts.put("quick", counts.quick);
        opts.put("time", time.text());
        opts.put("os", sim == null ? "real" : "sim");
        if (sim != null) {
            opts.set("sim", hakmem.bench.run.Runner.simJson(sim));
        }
        opts.put("classDataSharing", counts.quick);
        opts.set("subjects", Json.MAPPER.valueToTree(subjects));
        opts.set("workloads", Json.MAPPER.valueToTree(ws.stream().map(Workload::id).toList()));
        opts.set("jvmArgs", Json.MAPPER.valueToTree(jvmArgs));
        ObjectNode props = header.putObject("hakmemProperties");
        for (String k : System.getProperties().stringPropertyNames()) {
            if (k.startsWith("hakmem.")) {
                props.put(k, System.getProperty(k));
            }
        }
        header.set("hakmemOptions", hakmemOptions());
        header.set("skipped", skipped);
        Map<String, Params> params = new LinkedHashMap<>();
        for (Workload w : ws) {
            params.put(w.id(), counts.resolve(w));
        }

        List<String> forked = new ArrayList<>(subjects);
        forked.add(Subjects.NO_ALLOC); // the JVM baseline of each workload, interleaved with the subjects
        int total = ws.size() * n * forked.size();
        Progress progress = Progress.forConsole(total);
        progress.line(String.format(Locale.ROOT, "hakmem compare: %s on %s, %d runs each, interleaved, one JVM per run -> %s",
                String.join(", ", subjects), String.join(", ", params.keySet()), n, dir));
        List<RunResult> results = new ArrayList<>();
        for (Workload w : ws) {
            Params p = params.get(w.id());
            for (int r = 1; r <= n; r++) {
                for (String s : forked) {
                    String step = w.id() + " " + s + " #" + r;
                    progress.start(step);
                    Path log = dir.resolve("logs").resolve(Format.fileLabel(w.id()) + "-" + SubjectSpec.parse(s).fileLabel() + "-" + r + ".log");
                    ObjectNode res = forker.run(s, w.id(), p, sampleMs, log, f -> progress.within(step, f));
                    res.put("run", r);
                    RunResult run = RunResult.fromJson(res);
                    results.add(run);
                    progress.done(step, run.ok() ? Format.ops(run.opsPerSec()) + " ops/s"
                            + (Double.isNaN(run.allocPeakResidentBytes()) ? "" : ", alloc peak "
                            + Format.bytes(run.allocPeakResidentBytes()))
                            : "FAILED: " + run.error());
                }
            }
        }
        progress.finish();
        header.put("finishedAt", OffsetDateTime.now().toString());
        header.put("loadAverageAtEnd", MachineInfo.loadAverage());
        Comparison comparison = new Comparison(header, results, List.copyOf(params.keySet()), subjects, baseline,
                targetMb * 1e6);
        List<Path> files = new ArrayList<>();
        List<Path> charts = noCharts ? List.of() : new ChartReporter(dir).report(comparison);
        files.addAll(new JsonReporter(dir).report(comparison));
        files.addAll(new CsvReporter(dir).report(comparison));
        files.addAll(new MarkdownReporter(dir, charts.stream().map(f -> f.getFileName().toString()).toList()).report(comparison));
        files.addAll(charts);
        PrintStream table = json ? System.err : System.out;
        new ConsoleReporter(table).report(comparison);
        table.println();
        table.println("wrote " + files.stream().map(f -> f.getFileName().toString()).toList() + " to " + dir);
        if (json) {
            System.out.println(Json.pretty(JsonReporter.toJson(comparison)));
        }
        return comparison.anyFailed() ? 1 : 0;
    }

    /**
     * Opens the policy once with its options, as each forked run will: an unknown policy or a bad option value
     * fails compare here, before any run, with the message of {@code Hakmem.open}.
     */
    private void check(SubjectSpec subject) {
        try {
            Subjects.check(subject);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        } catch (IllegalStateException e) {
            throw new ParameterException(spec.commandLine(), "cannot open hakmem policy '" + subject.label() + "': "
                    + e.getMessage() + "\n(use --policies none to compare peers only)");
        }
    }

    static ArrayNode hakmemOptions() {
        ArrayNode a = Json.MAPPER.createArrayNode();
        try {
            for (OptionValue o : Subjects.options()) {
                a.addObject().put("name", o.name()).put("value", o.value()).put("source", o.source())
                        .put("default", o.defaultValue()).put("owner", o.owner());
            }
        } catch (RuntimeException e) {
            a.addObject().put("error", String.valueOf(e.getMessage()));
        }
        return a;
    }
}
