package hakmem.bench.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hakmem.bench.result.ReleaseFigures;
import hakmem.bench.result.RunResult;
import hakmem.bench.run.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code results.json}: everything. The header (command, machine, JDK, git, options, skipped subjects), the
 * summaries with ratios and release figures, the verdicts with the rules they applied, and every run as the
 * child printed it plus its {@code release} figures.
 */
public final class JsonReporter implements Reporter {
    private final Path dir;

    public JsonReporter(Path dir) {
        this.dir = dir;
    }

    @Override
    public List<Path> report(Comparison c) throws IOException {
        Files.createDirectories(dir);
        Path json = dir.resolve("results.json");
        Files.writeString(json, Json.pretty(toJson(c)) + "\n", StandardCharsets.UTF_8);
        return List.of(json);
    }

    public static ObjectNode toJson(Comparison c) {
        ObjectNode o = c.header().deepCopy();
        o.put("baseline", c.baseline());
        o.put("targetBytes", c.targetBytes());
        ArrayNode sum = o.putArray("summary");
        for (Summary s : c.summaries()) {
            sum.add(s.toJson(c.baselineOf(s.workload())));
        }
        ObjectNode jvm = o.putObject("jvmBaselinePeakRssBytes"); // per workload: the no-alloc runs' median peak RSS
        for (String w : c.workloads()) {
            Summary.num(jvm, w, c.jvmBaselineRss(w));
        }
        ArrayNode vs = o.putArray("verdicts");
        c.verdicts().forEach((w, list) -> list.forEach(v -> vs.add(v.toJson().put("workload", w)
                .put("rules", Comparison.isRelease(w) ? "release" : "steady-state"))));
        ObjectNode rules = o.putObject("verdictRules");
        rules.put("steady-state", Verdict.STEADY_RULES);
        rules.put("release", Verdict.RELEASE_RULES);
        ArrayNode rs = o.putArray("runs");
        for (RunResult r : c.runs()) {
            ObjectNode run = r.raw().deepCopy();
            ReleaseFigures f = ReleaseFigures.of(r);
            if (f != ReleaseFigures.NONE) {
                ObjectNode rel = run.putObject("release");
                Summary.num(rel, "mibSecondsHeld", f.mibSeconds());
                if (f.neverReleased()) {
                    rel.put("timeToReleaseMs", "never");
                } else {
                    Summary.num(rel, "timeToReleaseMs", f.timeToReleaseMs());
                }
                Summary.num(rel, "recommitBytes", f.recommitBytes());
                Summary.num(rel, "releasedBytes", f.releasedBytes());
                Summary.num(rel, "returnedBytes", f.returnedBytes());
                Summary.num(rel, "syscalls", f.syscalls());
                Summary.num(rel, "syscallsPerMibReleased", f.syscallsPerMibReleased());
            }
            rs.add(run);
        }
        return o;
    }
}
