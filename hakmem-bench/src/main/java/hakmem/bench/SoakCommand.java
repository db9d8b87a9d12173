package hakmem.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hakmem.bench.report.Charts;
import hakmem.bench.report.Format;
import hakmem.bench.report.MachineInfo;
import hakmem.bench.report.Progress;
import hakmem.bench.report.Stats;
import hakmem.bench.run.Json;
import hakmem.bench.run.ProcStatus;
import hakmem.bench.run.Runner;
import hakmem.bench.subject.Subject;
import hakmem.bench.subject.Subjects;
import hakmem.bench.workload.MixedTable;
import hakmem.bench.workload.Rng;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * One process, one subject, Mixed for a fixed time in epochs of fixed length. Per epoch: ops/s, process RSS,
 * allocator resident bytes, syscalls. Summary over the epochs after warm-up: p50/p90/p99 of epoch throughput,
 * CV, and drift of RSS and allocator resident (last epoch vs first after warm-up, and the least-squares slope).
 */
@Command(name = "soak", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run one subject on Mixed for a long time in one process (the seed's soak: --minutes 60).",
            "Per epoch: ops/s, RSS, allocator resident, syscalls. Summary: p50/p90/p99 epoch throughput, CV, RSS drift "
                + "(end vs start after warm-up, and slope). Drift passes if |drift| <= 1% (allocator resident for hakmem "
                + "policies, RSS for peers). Exit code 0 if the checks "
                + "passed and drift is within 1%, 1 otherwise."})
final class SoakCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--subject", defaultValue = "balanced", description = "policy id or peer (default ${DEFAULT-VALUE})")
    String subject;

    @Option(names = "--minutes", description = "length of the soak in minutes")
    Double minutes;

    @Option(names = "--seconds", description = "length of the soak in seconds (for short checks and tests)")
    Double seconds;

    @Option(names = "--epoch-seconds", description = "epoch length (default: 10 s, or a tenth of the soak if shorter than 100 s)")
    Double epochSeconds;

    @Option(names = "--warmup-epochs", description = "epochs left out of the summary (default: a tenth of them, at least 1)")
    Integer warmupEpochs;

    @Option(names = "--ws", defaultValue = "400", description = "Mixed working set (default ${DEFAULT-VALUE})")
    int ws;

    @Option(names = "--out", description = "output directory (default bench-results/soak-<timestamp>/)")
    Path out;

    @Option(names = "--json", description = "print soak.json on stdout")
    boolean json;

    @Option(names = "--no-charts", description = "skip the PNG charts")
    boolean noCharts;

    record Epoch(int index, double endSeconds, long ops, double opsPerSec, long rss, long resident, long syscalls) {
    }

    @Override
    public Integer call() throws Exception {
        if ((minutes == null) == (seconds == null)) {
            throw new ParameterException(spec.commandLine(), "give exactly one of --minutes and --seconds");
        }
        double total = minutes != null ? minutes * 60 : seconds;
        if (!(total > 0)) {
            throw new ParameterException(spec.commandLine(), "the soak must last more than 0 s");
        }
        double epoch = epochSeconds != null ? epochSeconds : total >= 100 ? 10 : total / 10;
        int epochs = Math.max(2, (int) Math.round(total / epoch));
        int warm = warmupEpochs != null ? warmupEpochs : Math.max(1, epochs / 10);
        if (warm >= epochs) {
            throw new ParameterException(spec.commandLine(), "--warmup-epochs " + warm + " leaves no epoch of " + epochs);
        }
        Path dir = out != null ? out : Path.of("bench-results", "soak-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Progress progress = Progress.forConsole(epochs);
        progress.line(String.format(Locale.ROOT, "hakmem soak: %s on mixed WS=%d, %d epochs of %.1f s (%d warm-up) -> %s",
                subject, ws, epochs, epoch, warm, dir));
        String started = OffsetDateTime.now().toString();
        List<Epoch> rows = new ArrayList<>();
        Throwable[] failure = {null};
        String detail;
        long epochNanos = (long) (epoch * 1e9);
        try (Subject s = Subjects.create(subject, ws, false)) {
            detail = s.detail();
            Thread t = s.newThread(() -> {
                try {
                    MixedTable table = new MixedTable(s, ws, Rng.SEED);
                    long chunk = 1 << 16;
                    long sys0 = Runner.syscalls(s.stats());
                    long origin = System.nanoTime();
                    for (int e = 0; e < epochs; e++) {
                        long start = System.nanoTime();
                        long until = origin + (e + 1) * epochNanos;
                        long ops = 0;
                        while (System.nanoTime() < until) {
                            table.run(chunk);
                            ops += chunk;
                        }
                        long end = System.nanoTime();
                        long sys = Runner.syscalls(s.stats());
                        Epoch row = new Epoch(e, (end - origin) / 1e9, ops, ops / ((end - start) / 1e9), ProcStatus.rss(),
                                s.residentBytes(), sys < 0 ? -1 : sys - sys0);
                        sys0 = sys;
                        rows.add(row);
                        progress.done("epoch " + (e + 1) + "/" + epochs, String.format(Locale.ROOT,
                                "%s ops/s, RSS %s, alloc %s, syscalls %s", Format.ops(row.opsPerSec()), Format.bytes(row.rss()),
                                Format.bytes(row.resident()), row.syscalls() < 0 ? "n/a" : row.syscalls()));
                    }
                    table.verifyState("soak");
                    table.freeAll();
                } catch (Throwable x) {
                    failure[0] = x;
                }
            }, "soak");
            t.start();
            t.join();
        }
        progress.finish();
        List<Epoch> steady = rows.subList(Math.min(warm, rows.size()), rows.size());
        double[] tput = steady.stream().mapToDouble(Epoch::opsPerSec).toArray();
        double[] x = steady.stream().mapToDouble(Epoch::endSeconds).toArray();
        double[] rss = steady.stream().mapToDouble(Epoch::rss).toArray();
        double[] res = steady.stream().mapToDouble(Epoch::resident).toArray();
        long ops = steady.stream().mapToLong(Epoch::ops).sum();
        long sys = steady.stream().mapToLong(Epoch::syscalls).sum();
        boolean hasResident = !steady.isEmpty() && steady.getFirst().resident() >= 0;
        double rssDrift = steady.isEmpty() ? Double.NaN : (rss[rss.length - 1] - rss[0]) / rss[0];
        double resDrift = hasResident && res[0] > 0 ? (res[res.length - 1] - res[0]) / res[0] : Double.NaN;

        ObjectNode o = Json.object();
        o.put("tool", "hakmem soak");
        o.put("subject", subject);
        o.put("detail", detail);
        o.put("workload", "mixed");
        o.put("ws", ws);
        o.put("startedAt", started);
        o.put("finishedAt", OffsetDateTime.now().toString());
        o.put("epochSeconds", epoch);
        o.put("epochs", epochs);
        o.put("warmupEpochs", warm);
        o.put("ok", failure[0] == null);
        if (failure[0] != null) {
            o.put("error", failure[0].getClass().getSimpleName() + ": " + failure[0].getMessage());
        }
        o.set("machine", MachineInfo.machine());
        o.set("jdk", MachineInfo.jdk());
        o.set("git", MachineInfo.git());
        ObjectNode sum = o.putObject("summary");
        sum.put("opsPerSecP50", Stats.percentile(tput, 50));
        sum.put("opsPerSecP90", Stats.percentile(tput, 90));
        sum.put("opsPerSecP99", Stats.percentile(tput, 99));
        sum.put("opsPerSecCv", Stats.cv(tput));
        sum.put("rssStartBytes", steady.isEmpty() ? -1 : (long) rss[0]);
        sum.put("rssEndBytes", steady.isEmpty() ? -1 : (long) rss[rss.length - 1]);
        sum.put("rssDrift", rssDrift);
        sum.put("rssSlopeBytesPerHour", Stats.slope(x, rss) * 3600);
        sum.put("peakRssBytes", ProcStatus.peakRss());
        if (hasResident) {
            sum.put("residentStartBytes", (long) res[0]);
            sum.put("residentEndBytes", (long) res[res.length - 1]);
            sum.put("residentDrift", resDrift);
            sum.put("residentSlopeBytesPerHour", Stats.slope(x, res) * 3600);
            sum.put("residentPeakBytes", (long) Stats.max(res));
            sum.put("syscallsPerOp", (double) sys / Math.max(1, ops));
        }
        // the drift criterion judges the allocator: its own resident bytes when it can report them (the JVM's RSS
        // drifts by several percent on its own), process RSS for peers that cannot
        // (as in the compare verdict, a change of at most one 64 KiB slab is no drift)
        boolean driftOk = hasResident
                ? Math.abs(resDrift) <= 0.01 || Math.abs(res[res.length - 1] - res[0]) <= 64 * 1024
                : Math.abs(rssDrift) <= 0.01;
        sum.put("driftOk", driftOk);
        ArrayNode arr = o.putArray("epochRows");
        for (Epoch e : rows) {
            arr.addObject().put("epoch", e.index()).put("endSeconds", e.endSeconds()).put("ops", e.ops())
                    .put("opsPerSec", e.opsPerSec()).put("rssBytes", e.rss()).put("residentBytes", e.resident())
                    .put("syscalls", e.syscalls());
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("soak.json"), Json.pretty(o) + "\n", StandardCharsets.UTF_8);
        StringBuilder csv = new StringBuilder("epoch,end_seconds,ops,ops_per_sec,rss_bytes,resident_bytes,syscalls\n");
        for (Epoch e : rows) {
            csv.append(String.format(Locale.ROOT, "%d,%.3f,%d,%.1f,%d,%d,%d%n", e.index(), e.endSeconds(), e.ops(),
                    e.opsPerSec(), e.rss(), e.resident(), e.syscalls()));
        }
        Files.writeString(dir.resolve("soak.csv"), csv.toString(), StandardCharsets.UTF_8);
        if (!noCharts && !rows.isEmpty()) {
            double[] tx = rows.stream().mapToDouble(Epoch::endSeconds).toArray();
            List<Charts.Series> lines = new ArrayList<>();
            lines.add(new Charts.Series("process RSS", tx, rows.stream().mapToDouble(Epoch::rss).toArray()));
            if (hasResident) {
                lines.add(new Charts.Series("allocator resident", tx, rows.stream().mapToDouble(Epoch::resident).toArray()));
            }
            Charts.timeSeries(dir.resolve("soak-resident.png"), "Soak: " + subject + " resident memory per epoch", "MiB", lines);
            Charts.timeSeries(dir.resolve("soak-throughput.png"), "Soak: " + subject + " throughput per epoch (M ops/s)",
                    "M ops/s", List.of(new Charts.Series("ops/s", tx,
                            rows.stream().mapToDouble(e -> e.opsPerSec() * (1 << 20) / 1e6).toArray())));
        }
        String md = markdown(o, rssDrift, resDrift, hasResident, sum);
        Files.writeString(dir.resolve("report.md"), md, StandardCharsets.UTF_8);
        PrintStream table = json ? System.err : System.out;
        table.print(md.substring(md.indexOf("## Summary")));
        table.println("wrote soak.json, soak.csv, report.md" + (noCharts ? "" : ", soak-resident.png, soak-throughput.png")
                + " to " + dir);
        if (json) {
            System.out.println(Json.pretty(o));
        }
        return failure[0] == null && driftOk ? 0 : 1;
    }

    private String markdown(ObjectNode o, double rssDrift, double resDrift, boolean hasResident, ObjectNode sum) {
        StringBuilder sb = new StringBuilder();
        sb.append("# hakmem soak: ").append(subject).append("\n\n");
        sb.append("Command: `hakmem ").append(String.join(" ", spec.commandLine().getParseResult().originalArgs())).append("`\n\n");
        sb.append(String.format(Locale.ROOT, "- Subject: %s (%s); Mixed WS=%d; %d epochs of %.1f s, first %d left out as warm-up%n",
                subject, o.path("detail").asText(), ws, o.path("epochs").asInt(), o.path("epochSeconds").asDouble(),
                o.path("warmupEpochs").asInt()));
        sb.append("- Machine: ").append(o.path("machine").path("cpu").asText()).append(", JDK ")
                .append(o.path("jdk").path("version").asText()).append(", commit ").append(o.path("git").path("commit").asText())
                .append("\n- Checks: ").append(o.path("ok").asBoolean() ? "passed" : "FAILED: " + o.path("error").asText()).append("\n\n");
        sb.append("## Summary\n\n");
        sb.append(String.format(Locale.ROOT, "- Epoch throughput: p50 %s, p90 %s, p99 %s ops/s; CV %.2f%%%n",
                Format.ops(sum.path("opsPerSecP50").asDouble()), Format.ops(sum.path("opsPerSecP90").asDouble()),
                Format.ops(sum.path("opsPerSecP99").asDouble()), sum.path("opsPerSecCv").asDouble() * 100));
        sb.append(String.format(Locale.ROOT, "- RSS: %s -> %s, drift %s (%s), slope %s per hour; peak (VmHWM) %s%n",
                Format.bytes(sum.path("rssStartBytes").asDouble()), Format.bytes(sum.path("rssEndBytes").asDouble()),
                Format.percent(rssDrift), Math.abs(rssDrift) <= 0.01 ? "within 1%" : "MORE THAN 1%",
                Format.bytes(Math.abs(sum.path("rssSlopeBytesPerHour").asDouble()))
                        + (sum.path("rssSlopeBytesPerHour").asDouble() < 0 ? " down" : " up"),
                Format.bytes(sum.path("peakRssBytes").asDouble())));
        if (hasResident) {
            sb.append(String.format(Locale.ROOT, "- Allocator resident: %s -> %s, drift %s, slope %s per hour, peak %s; "
                    + "syscalls/op %s%n", Format.bytes(sum.path("residentStartBytes").asDouble()),
                    Format.bytes(sum.path("residentEndBytes").asDouble()), Format.percent(resDrift),
                    Format.bytes(Math.abs(sum.path("residentSlopeBytesPerHour").asDouble()))
                            + (sum.path("residentSlopeBytesPerHour").asDouble() < 0 ? " down" : " up"),
                    Format.bytes(sum.path("residentPeakBytes").asDouble()), Format.sci(sum.path("syscallsPerOp").asDouble())));
        }
        sb.append("\n");
        if (!noCharts) {
            sb.append("![resident](soak-resident.png)\n\n![throughput](soak-throughput.png)\n\n");
        }
        sb.append("Epochs: `soak.csv`; everything: `soak.json`.\n");
        return sb.toString();
    }
}
