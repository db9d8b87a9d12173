package hakmem.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hakmem.bench.result.RunResult;
import hakmem.bench.run.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A finished comparison, the model every {@link Reporter} reads: the runs, the summary of each subject on each
 * workload, and the verdict of each lean-family policy (every policy subject but plain {@code speed}) on each
 * workload. Peers are not judged.
 */
public final class Comparison {
    /** The reference policy the verdicts judge against. */
    public static final String REFERENCE = "speed";

    private final ObjectNode header;
    private final List<RunResult> runs;
    private final List<String> workloads;
    private final List<String> subjects;
    private final String baseline;
    private final double targetBytes;
    private final List<Summary> summaries = new ArrayList<>();
    private final Map<String, List<Verdict>> verdicts = new LinkedHashMap<>();

    /**
     * @param header   everything but the runs: command, machine, jdk, git, options, skipped subjects
     * @param runs     every run, each with its workload, subject and index
     * @param baseline the subject ratios are taken against
     */
    public Comparison(ObjectNode header, List<RunResult> runs, List<String> workloads, List<String> subjects,
                      String baseline, double targetBytes) {
        this.header = header;
        this.runs = List.copyOf(runs);
        this.workloads = List.copyOf(workloads);
        this.subjects = List.copyOf(subjects);
        this.baseline = baseline;
        this.targetBytes = targetBytes;
        for (String w : workloads) {
            double jvm = jvmBaselineRss(w);
            for (String s : subjects) {
                List<RunResult> mine = this.runs.stream().filter(r -> w.equals(r.workload()) && s.equals(r.subject())).toList();
                if (!mine.isEmpty()) {
                    summaries.add(Summary.of(w, s, mine, jvm));
                }
            }
        }
        for (String w : workloads) {
            Summary speed = find(w, REFERENCE);
            List<Verdict> vs = new ArrayList<>();
            for (Summary s : summaries(w)) {
                if (s.isPolicy() && !s.subject().equals(REFERENCE)) {
                    vs.add(isRelease(w) ? Verdict.decideRelease(s, speed) : Verdict.decide(s, speed, targetBytes));
                }
            }
            if (!vs.isEmpty()) {
                verdicts.put(w, vs);
            }
        }
    }

    /**
     * The JVM baseline of a workload: the median peak RSS of its successful no-alloc runs (the workload's loop with
     * no allocator, in a JVM with the same options), NaN if it has none. Those runs are not subjects.
     */
    public double jvmBaselineRss(String workload) {
        return Stats.median(runs.stream().filter(r -> r.isBaseline() && r.ok() && r.workload().equals(workload))
                .mapToDouble(RunResult::peakRssBytes).filter(d -> !Double.isNaN(d)).toArray());
    }

    /** Whether a workload is judged by the release rules (burst) rather than the steady-state rules. */
    public static boolean isRelease(String workload) {
        return workload.equals("burst");
    }

    public ObjectNode header() {
        return header;
    }

    public List<RunResult> runs() {
        return runs;
    }

    public List<String> workloads() {
        return workloads;
    }

    public List<String> subjects() {
        return subjects;
    }

    public String baseline() {
        return baseline;
    }

    public double targetBytes() {
        return targetBytes;
    }

    public List<Summary> summaries() {
        return summaries;
    }

    /** The summaries of one workload, in subject order. */
    public List<Summary> summaries(String workload) {
        return summaries.stream().filter(s -> s.workload().equals(workload)).toList();
    }

    /** Verdicts per workload (only workloads with a judged policy). */
    public Map<String, List<Verdict>> verdicts() {
        return verdicts;
    }

    /** The verdict of a subject on a workload, or null if it is not judged. */
    public Verdict verdict(String workload, String subject) {
        for (Verdict v : verdicts.getOrDefault(workload, List.of())) {
            if (v.policy().equals(subject)) {
                return v;
            }
        }
        return null;
    }

    public boolean anyFailed() {
        return summaries.stream().anyMatch(s -> s.failed() > 0);
    }

    public Summary find(String workload, String subject) {
        for (Summary s : summaries) {
            if (s.workload().equals(workload) && s.subject().equals(subject)) {
                return s;
            }
        }
        return null;
    }

    /** The baseline of a workload: --baseline if it has a successful run there, else none. */
    public Summary baselineOf(String workload) {
        Summary b = find(workload, baseline);
        return b != null && b.ok() > 0 ? b : null;
    }

    /** The successful run of a summary whose ops/s is closest to the median (what charts draw), or null. */
    public RunResult medianRun(Summary s) {
        RunResult median = null;
        double best = Double.MAX_VALUE;
        for (RunResult r : runs) {
            if (r.ok() && r.workload().equals(s.workload()) && r.subject().equals(s.subject())) {
                double d = Math.abs(r.opsPerSec() - s.opsMedian());
                if (d < best) {
                    best = d;
                    median = r;
                }
            }
        }
        return median;
    }

    /** The parameters of a workload's runs as the runs printed them (one JSON object). */
    public JsonNode params(String workload) {
        return runs.stream().filter(r -> r.workload().equals(workload) && r.raw().has("params"))
                .map(r -> (JsonNode) r.raw().get("params")).findFirst().orElse(Json.object());
    }

    public boolean quick() {
        return header.path("options").path("quick").asBoolean(false);
    }
}
