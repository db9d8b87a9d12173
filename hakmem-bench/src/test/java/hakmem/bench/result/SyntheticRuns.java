package hakmem.bench.result;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hakmem.bench.run.Json;
import java.util.function.DoubleUnaryOperator;

/**
 * Run objects shaped as {@code hakmem run} prints them, with a resident curve given as a function of time: marks
 * take its value at their time, samples every 50 ms (at 0, 50, 100, ... ms) too, so the sampled curve is exact
 * whenever the function only steps at those times.
 */
public final class SyntheticRuns {
    public static final long MIB = 1 << 20;

    private SyntheticRuns() {
    }

    /** A successful run with its figures; the curve and marks come from {@link #marks}. */
    public static ObjectNode run(String workload, String subject, String kind, int run, double opsPerSec) {
        ObjectNode o = Json.object();
        o.put("subject", subject);
        o.put("workload", workload);
        o.put("kind", kind);
        o.put("run", run);
        o.put("ok", true);
        o.putObject("params").put("ops", 1000).put("warmup", 10).put("threads", 1).put("ws", 400);
        o.put("opsPerSec", opsPerSec);
        o.put("timedOps", 1000);
        o.put("seconds", 1000 / opsPerSec);
        o.put("peakRssBytes", 60_000_000L);
        o.put("checks", 1010);
        o.put("gcCount", 0);
        boolean policy = kind.equals("policy");
        for (String k : new String[] {"allocPeakResidentBytes", "allocEndResidentBytes", "allocAfterFreeResidentBytes",
            "syscallsPerOp", "residentDrift", "residentDriftBytes"}) {
            o.putNull(k);
        }
        if (policy) {
            o.put("syscallsPerOp", 0.0);
            o.put("residentDrift", 0.0);
            o.put("residentDriftBytes", 0);
        }
        return o;
    }

    /** A failed run. */
    public static ObjectNode failed(String workload, String subject, String kind, int run, String error) {
        ObjectNode o = Json.object();
        o.put("subject", subject);
        o.put("workload", workload);
        o.put("kind", kind);
        o.put("run", run);
        o.put("ok", false);
        o.put("error", error);
        return o;
    }

    /**
     * Adds marks at the given times (label, ms, label, ms, ...) with resident {@code curve(t)} (-1 for peers),
     * syscalls {@code 10} before timed-end and {@code 10 + syscalls} from it on, returned bytes (decommitted +
     * unmapped) {@code 0} before timed-end and {@code returned} from it on; and samples every 50 ms up to the last mark.
     */
    public static ObjectNode marks(ObjectNode o, DoubleUnaryOperator curve, long returned, long syscalls, Object... labelsAndTimes) {
        boolean policy = o.path("kind").asText().equals("policy");
        ArrayNode marks = o.putArray("marks");
        double last = 0;
        boolean ended = false;
        long peak = 0;
        for (int i = 0; i < labelsAndTimes.length; i += 2) {
            String label = (String) labelsAndTimes[i];
            double t = ((Number) labelsAndTimes[i + 1]).doubleValue();
            ended |= label.equals("timed-end");
            long v = (long) curve.applyAsDouble(t);
            peak = Math.max(peak, v);
            marks.addObject().put("label", label).put("tMs", t).put("resident", policy ? v : -1).put("rss", 60_000_000L + v)
                    .put("syscalls", policy ? (ended ? 10 + syscalls : 10) : -1)
                    .put("returnedBytes", policy ? (ended ? returned : 0) : -1);
            last = Math.max(last, t);
        }
        ArrayNode series = o.putArray("series");
        for (double t = 0; t < last; t += 50) {
            long v = (long) curve.applyAsDouble(t);
            peak = Math.max(peak, v);
            series.addArray().add(t).add(policy ? v : -1).add(60_000_000L + v);
        }
        if (policy) {
            o.put("allocPeakResidentBytes", peak);
            o.put("allocEndResidentBytes", (long) curve.applyAsDouble(last));
        }
        return o;
    }

    /**
     * One burst cycle: timed-start 100, pre-burst 200, burst-peak 300, burst-freed 400, idle-end 2400, timed-end
     * 2500, freed 2600 ms. Resident is {@code pre} until 300 ms, {@code peak} until {@code releaseAtMs}, then
     * {@code end}.
     */
    public static ObjectNode burst(String subject, String kind, int run, double ops, long pre, long peak, long end,
                                   double releaseAtMs, long returned, long syscalls) {
        DoubleUnaryOperator curve = t -> t < 300 ? pre : t < releaseAtMs ? peak : end;
        return marks(run("burst", subject, kind, run, ops), curve, returned, syscalls, "open", 0, "timed-start", 100,
                "pre-burst", 200, "burst-peak", 300, "burst-freed", 400, "idle-end", 2400, "timed-end", 2500, "freed", 2600);
    }

    /**
     * A Mixed-family steady run (medium, large) with live bytes: a flat resident curve as {@link #mixed}, the JVM
     * baseline at 60,000,000 bytes of RSS and the peak RSS given; for policies a mapped peak of 3x the peak live.
     */
    public static ObjectNode steady(String workload, String subject, String kind, int run, double ops, long resident,
                                    long livePeak, long liveEnd, long peakRss) {
        ObjectNode o = mixed(subject, kind, run, ops, resident, 0);
        o.put("workload", workload);
        o.put("rssBaselineBytes", 60_000_000L);
        o.put("peakRssBytes", peakRss);
        o.put("livePeakBytes", livePeak);
        o.put("liveEndBytes", liveEnd);
        if (kind.equals("policy")) {
            o.put("allocPeakMappedBytes", 3 * livePeak);
        } else {
            o.putNull("allocPeakMappedBytes");
        }
        return o;
    }

    /** Mixed: a flat resident curve from timed-start 100 to timed-end 1100 ms. */
    public static ObjectNode mixed(String subject, String kind, int run, double ops, long resident, double syscallsPerOp) {
        ObjectNode o = marks(run("mixed", subject, kind, run, ops), t -> resident, 0, 0, "open", 0, "timed-start", 100,
                "timed-end", 1100, "freed", 1200);
        if (kind.equals("policy")) {
            o.put("syscallsPerOp", syscallsPerOp);
        }
        return o;
    }
}
