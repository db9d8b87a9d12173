package hakmem.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hakmem.bench.run.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * One subject on one workload over its runs. Figures are medians over the successful runs unless named
 * {@code Max}/{@code Min}; NaN where a figure does not apply (allocator resident and syscalls for peers).
 * Burst figures are the allocator's resident bytes for hakmem and the process RSS for peers.
 */
public record Summary(String workload, String subject, String kind, String detail, int runs, int failed,
                      String firstError, double[] opsPerRun, double opsMedian, double opsMin, double opsMax,
                      double opsCv, double peakRssMedian, double peakRssMax, double allocPeakMedian,
                      double allocPeakMax, double allocEndMedian, double syscallsPerOpMedian,
                      double syscallsPerOpMax, double driftMedian, double driftBytesMedian, double burstPre, double burstPeak,
                      double burstEnd) {

    public int ok() {
        return runs - failed;
    }

    public boolean isPolicy() {
        return "policy".equals(kind);
    }

    /** Summarizes the runs of one subject on one workload (the run objects {@code hakmem run} prints). */
    public static Summary of(String workload, String subject, List<JsonNode> runs) {
        List<JsonNode> ok = new ArrayList<>();
        String firstError = null;
        String kind = Json.str(runs.isEmpty() ? Json.object() : runs.getFirst(), "kind", "peer");
        String detail = "";
        for (JsonNode r : runs) {
            if (r.path("ok").asBoolean(false)) {
                ok.add(r);
                detail = Json.str(r, "detail", detail);
            } else if (firstError == null) {
                firstError = Json.str(r, "error", "failed without a message");
            }
        }
        double[] ops = values(ok, "opsPerSec");
        double[] pre = new double[ok.size()];
        double[] peak = new double[ok.size()];
        double[] end = new double[ok.size()];
        boolean policy = "policy".equals(kind);
        for (int i = 0; i < ok.size(); i++) {
            double[] b = burst(ok.get(i), policy);
            pre[i] = b[0];
            peak[i] = b[1];
            end[i] = b[2];
        }
        return new Summary(workload, subject, kind, detail, runs.size(), runs.size() - ok.size(), firstError, ops,
                Stats.median(ops), Stats.min(ops), Stats.max(ops), Stats.cv(ops),
                Stats.median(values(ok, "peakRssBytes")), Stats.max(values(ok, "peakRssBytes")),
                Stats.median(values(ok, "allocPeakResidentBytes")), Stats.max(values(ok, "allocPeakResidentBytes")),
                Stats.median(values(ok, "allocEndResidentBytes")),
                Stats.median(values(ok, "syscallsPerOp")), Stats.max(values(ok, "syscallsPerOp")),
                Stats.median(values(ok, "residentDrift")), Stats.median(values(ok, "residentDriftBytes")),
                Stats.median(pre), Stats.median(peak), Stats.median(end));
    }

    static double[] values(List<JsonNode> runs, String key) {
        return runs.stream().mapToDouble(r -> Json.dbl(r, key)).filter(d -> !Double.isNaN(d)).toArray();
    }

    /**
     * A burst run's pre-burst, peak and end (after the last idle) levels; NaN for other workloads. Allocator
     * resident for hakmem, process RSS for peers (they cannot say what they hold).
     */
    static double[] burst(JsonNode run, boolean policy) {
        String field = policy ? "resident" : "rss";
        double pre = Double.NaN;
        double peak = Double.NaN;
        double end = Double.NaN;
        for (JsonNode m : run.path("marks")) {
            String label = m.path("label").asText();
            double v = m.path(field).asDouble();
            if (label.equals("pre-burst") && Double.isNaN(pre)) {
                pre = v;
            } else if (label.equals("burst-peak")) {
                peak = Double.isNaN(peak) ? v : Math.max(peak, v);
            } else if (label.equals("idle-end")) {
                end = v;
            }
        }
        if (Double.isNaN(pre)) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        }
        int column = policy ? 1 : 2;
        for (JsonNode s : run.path("series")) {
            peak = Math.max(peak, s.path(column).asDouble());
        }
        return new double[] {pre, peak, end};
    }

    /** The summary as JSON, with ratios to the baseline (null if there is none). */
    public ObjectNode toJson(Summary baseline) {
        ObjectNode o = Json.object();
        o.put("workload", workload);
        o.put("subject", subject);
        o.put("kind", kind);
        o.put("detail", detail);
        o.put("runs", runs);
        o.put("failed", failed);
        Json.put(o, "firstError", firstError);
        var arr = o.putArray("opsPerRun");
        for (double d : opsPerRun) {
            arr.add(d);
        }
        num(o, "opsPerSecMedian", opsMedian);
        num(o, "opsPerSecMin", opsMin);
        num(o, "opsPerSecMax", opsMax);
        num(o, "opsPerSecCv", opsCv);
        num(o, "peakRssBytesMedian", peakRssMedian);
        num(o, "peakRssBytesMax", peakRssMax);
        num(o, "allocPeakResidentBytesMedian", allocPeakMedian);
        num(o, "allocPeakResidentBytesMax", allocPeakMax);
        num(o, "allocEndResidentBytesMedian", allocEndMedian);
        num(o, "syscallsPerOpMedian", syscallsPerOpMedian);
        num(o, "syscallsPerOpMax", syscallsPerOpMax);
        num(o, "residentDriftMedian", driftMedian);
        num(o, "residentDriftBytesMedian", driftBytesMedian);
        if (!Double.isNaN(burstPre)) {
            o.put("burstMeasure", isPolicy() ? "allocator resident" : "process RSS");
            num(o, "burstPreBytes", burstPre);
            num(o, "burstPeakBytes", burstPeak);
            num(o, "burstEndBytes", burstEnd);
            num(o, "burstEndOverPre", burstEnd / burstPre);
        }
        if (baseline != null) {
            o.put("baseline", baseline.subject);
            num(o, "opsRatio", opsMedian / baseline.opsMedian);
            num(o, "peakRssRatio", peakRssMedian / baseline.peakRssMedian);
            num(o, "allocPeakRatio", allocPeakMedian / baseline.allocPeakMedian);
        }
        return o;
    }

    static void num(ObjectNode o, String key, double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            o.putNull(key);
        } else {
            o.put(key, v);
        }
    }
}
