package hakmem.bench.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import hakmem.bench.result.ReleaseFigures;
import hakmem.bench.result.RunResult;
import hakmem.bench.run.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * One subject on one workload over its runs. Figures are medians over the successful runs unless named
 * {@code Max}/{@code Min}; NaN where a figure does not apply (allocator resident, syscalls and release figures
 * for peers). Burst levels are the allocator's resident bytes for hakmem and the process RSS for peers.
 *
 * @param timeToReleaseMsMax the worst run's time to release (+Infinity: some run never released; NaN: not burst)
 * @param livePeakMedian     the highest sum of the sizes of the blocks the workload held (median run; NaN if the
 *                           workload does not track live bytes)
 * @param liveEndMedian      that sum at the end of the timed loop (median run)
 * @param peakOverLive       the footprint as a multiple of live: {@code allocPeakMax / livePeakMedian} for hakmem;
 *                           for peers, whose allocator resident is unknown, the median run's peak RSS over its RSS at
 *                           the open mark (the JVM baseline) / {@code livePeakMedian}; NaN without live bytes
 * @param peakOverLiveMeasure what {@code peakOverLive} measures: {@link #ALLOCATOR_RESIDENT} or
 *                           {@link #RSS_OVER_BASELINE}; null when it is NaN
 * @param allocMappedPeakMax the most address space the allocator had mapped at once (max over runs; NaN for peers)
 * @param mappedOverLive     {@code allocMappedPeakMax / livePeakMedian}: the footprint of a program that touches
 *                           every page it allocates (the loops touch two bytes per block); NaN for peers
 * @param rssOverJvmMedian   peak RSS over the JVM baseline: each run's peak RSS less the median peak RSS of the
 *                           workload's no-alloc runs (same JVM options, no allocator), median over runs; what the
 *                           subject added to the process, the same measure for a peer and a policy (NaN without
 *                           baseline runs)
 * @param allocFootprintMax  the allocator's own footprint: peak resident bytes of its mappings plus peak Java-heap
 *                           metadata bytes, max over runs (NaN for peers)
 */
public record Summary(String workload, String subject, String kind, String detail, int runs, int failed,
                      String firstError, double[] opsPerRun, double opsMedian, double opsMin, double opsMax,
                      double opsCv, double peakRssMedian, double peakRssMax, double allocPeakMedian,
                      double allocPeakMax, double allocEndMedian, double syscallsPerOpMedian,
                      double syscallsPerOpMax, double driftMedian, double driftBytesMedian, double burstPre,
                      double burstPeak, double burstEnd, double mibSecondsMedian, double timeToReleaseMsMax,
                      double recommitBytesMedian, double releasedBytesMedian, double returnedBytesMedian,
                      double syscallsPerMibReleasedMax, double livePeakMedian, double liveEndMedian,
                      double peakOverLive, String peakOverLiveMeasure, double allocMappedPeakMax,
                      double mappedOverLive, double rssOverJvmMedian, double allocFootprintMax) {
    /** {@link #peakOverLiveMeasure} of hakmem policies. */
    public static final String ALLOCATOR_RESIDENT = "allocator resident";
    /** {@link #peakOverLiveMeasure} of peers. */
    public static final String RSS_OVER_BASELINE = "process RSS over the JVM baseline";

    public int ok() {
        return runs - failed;
    }

    public boolean isPolicy() {
        return "policy".equals(kind);
    }

    /** Whether release figures apply (a hakmem policy with at least one successful run). */
    public boolean hasReleaseFigures() {
        return isPolicy() && !Double.isNaN(mibSecondsMedian);
    }

    /** Summarizes the runs of one subject on one workload, without a JVM baseline. */
    public static Summary of(String workload, String subject, List<RunResult> runs) {
        return of(workload, subject, runs, Double.NaN);
    }

    /**
     * Summarizes the runs of one subject on one workload; {@code jvmBaselineRss} is the median peak RSS of the
     * workload's no-alloc runs (NaN if there are none).
     */
    public static Summary of(String workload, String subject, List<RunResult> runs, double jvmBaselineRss) {
        List<RunResult> ok = new ArrayList<>();
        String firstError = null;
        String kind = runs.isEmpty() ? "peer" : runs.getFirst().kind();
        String detail = "";
        for (RunResult r : runs) {
            if (r.ok()) {
                ok.add(r);
                detail = r.detail().isEmpty() ? detail : r.detail();
            } else if (firstError == null) {
                firstError = r.error();
            }
        }
        boolean policy = "policy".equals(kind);
        double[] ops = values(ok, RunResult::opsPerSec);
        double[] pre = new double[ok.size()];
        double[] peak = new double[ok.size()];
        double[] end = new double[ok.size()];
        List<ReleaseFigures> release = new ArrayList<>();
        for (int i = 0; i < ok.size(); i++) {
            double[] b = burst(ok.get(i), policy);
            pre[i] = b[0];
            peak[i] = b[1];
            end[i] = b[2];
            release.add(ReleaseFigures.of(ok.get(i)));
        }
        double livePeak = Stats.median(values(ok, RunResult::livePeakBytes));
        double footprint = policy ? Stats.max(values(ok, RunResult::allocPeakResidentBytes))
                : Stats.median(values(ok, RunResult::rssOverBaselineBytes));
        double multiple = livePeak > 0 ? footprint / livePeak : Double.NaN;
        String measure = Double.isNaN(multiple) ? null : policy ? ALLOCATOR_RESIDENT : RSS_OVER_BASELINE;
        double mapped = Stats.max(values(ok, RunResult::allocPeakMappedBytes));
        double[] ttr = release.stream().mapToDouble(ReleaseFigures::timeToReleaseMs).filter(d -> !Double.isNaN(d)).toArray();
        return new Summary(workload, subject, kind, detail, runs.size(), runs.size() - ok.size(), firstError, ops,
                Stats.median(ops), Stats.min(ops), Stats.max(ops), Stats.cv(ops),
                Stats.median(values(ok, RunResult::peakRssBytes)), Stats.max(values(ok, RunResult::peakRssBytes)),
                Stats.median(values(ok, RunResult::allocPeakResidentBytes)),
                Stats.max(values(ok, RunResult::allocPeakResidentBytes)),
                Stats.median(values(ok, RunResult::allocEndResidentBytes)),
                Stats.median(values(ok, RunResult::syscallsPerOp)), Stats.max(values(ok, RunResult::syscallsPerOp)),
                Stats.median(values(ok, RunResult::residentDrift)), Stats.median(values(ok, RunResult::residentDriftBytes)),
                Stats.median(pre), Stats.median(peak), Stats.median(end),
                Stats.median(values(release, ReleaseFigures::mibSeconds)), Stats.max(ttr),
                Stats.median(values(release, ReleaseFigures::recommitBytes)),
                Stats.median(values(release, ReleaseFigures::releasedBytes)),
                Stats.median(values(release, ReleaseFigures::returnedBytes)),
                Stats.max(values(release, ReleaseFigures::syscallsPerMibReleased)), livePeak,
                Stats.median(values(ok, RunResult::liveEndBytes)), multiple, measure, mapped,
                livePeak > 0 ? mapped / livePeak : Double.NaN,
                Stats.median(values(ok, r -> r.peakRssBytes() - jvmBaselineRss)),
                Stats.max(values(ok, RunResult::allocFootprintBytes)));
    }

    static <T> double[] values(List<T> runs, ToDoubleFunction<T> figure) {
        return runs.stream().mapToDouble(figure).filter(d -> !Double.isNaN(d)).toArray();
    }

    /**
     * A burst run's pre-burst, peak and end (after the last idle) levels; NaN for other workloads. Allocator
     * resident for hakmem, process RSS for peers (they cannot say what they hold).
     */
    static double[] burst(RunResult run, boolean policy) {
        double pre = Double.NaN;
        double peak = Double.NaN;
        double end = Double.NaN;
        for (RunResult.Mark m : run.marks()) {
            double v = policy ? m.resident() : m.rss();
            switch (m.label()) {
                case "pre-burst" -> pre = Double.isNaN(pre) ? v : pre;
                case "burst-peak" -> peak = Double.isNaN(peak) ? v : Math.max(peak, v);
                case "idle-end" -> end = v;
                default -> { }
            }
        }
        if (Double.isNaN(pre)) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        }
        for (RunResult.Sample s : run.samples()) {
            peak = Math.max(peak, policy ? s.resident() : s.rss());
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
        num(o, "livePeakBytesMedian", livePeakMedian);
        num(o, "liveEndBytesMedian", liveEndMedian);
        num(o, "peakOverLive", peakOverLive);
        Json.put(o, "peakOverLiveMeasure", peakOverLiveMeasure);
        num(o, "allocPeakMappedBytesMax", allocMappedPeakMax);
        num(o, "mappedOverLive", mappedOverLive);
        num(o, "rssOverJvmBaselineBytesMedian", rssOverJvmMedian);
        num(o, "allocResidentPlusMetadataBytesMax", allocFootprintMax);
        num(o, "mibSecondsHeldMedian", mibSecondsMedian);
        if (timeToReleaseMsMax == Double.POSITIVE_INFINITY) {
            o.put("timeToReleaseMsMax", "never");
        } else {
            num(o, "timeToReleaseMsMax", timeToReleaseMsMax);
        }
        num(o, "recommitBytesMedian", recommitBytesMedian);
        num(o, "releasedBytesMedian", releasedBytesMedian);
        num(o, "returnedBytesMedian", returnedBytesMedian);
        num(o, "syscallsPerMibReleasedMax", syscallsPerMibReleasedMax);
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
