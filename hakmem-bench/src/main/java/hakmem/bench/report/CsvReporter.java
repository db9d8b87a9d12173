package hakmem.bench.report;

import hakmem.bench.result.ReleaseFigures;
import hakmem.bench.result.RunResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code results.csv} (one row per run) and {@code summary.csv} (one row per workload and subject). Empty cells
 * are figures that do not apply; a time to release that never came is {@code never}.
 */
public final class CsvReporter implements Reporter {
    /** Columns of results.csv, one row per run. */
    public static final List<String> RUN_COLUMNS = List.of("workload", "subject", "kind", "run", "ok", "ops_per_sec",
            "timed_ops", "seconds", "peak_rss_bytes", "alloc_peak_resident_bytes", "alloc_end_resident_bytes",
            "alloc_after_free_resident_bytes", "syscalls_per_op", "resident_drift", "rss_baseline_bytes", "live_end_bytes",
            "live_peak_bytes", "alloc_peak_mapped_bytes", "mib_seconds_held",
            "time_to_release_ms", "recommit_bytes", "released_bytes", "returned_bytes", "syscalls_per_mib_released", "checks",
            "gc_count", "error");
    /** Columns of summary.csv, one row per workload and subject. */
    public static final List<String> SUMMARY_COLUMNS = List.of("workload", "subject", "kind", "runs", "failed",
            "ops_per_sec_median", "ops_per_sec_min", "ops_per_sec_max", "ops_per_sec_cv", "ops_ratio",
            "peak_rss_bytes_median", "alloc_peak_resident_bytes_max", "alloc_end_resident_bytes_median",
            "syscalls_per_op_max", "resident_drift_median", "live_peak_bytes_median", "live_end_bytes_median",
            "peak_over_live", "peak_over_live_measure", "alloc_peak_mapped_bytes_max", "mapped_over_live",
            "mib_seconds_held_median", "time_to_release_ms_max",
            "recommit_bytes_median", "released_bytes_median", "returned_bytes_median", "syscalls_per_mib_released_max",
            "rss_over_jvm_baseline_bytes_median", "alloc_resident_plus_metadata_bytes_max", "verdict");

    private final Path dir;

    public CsvReporter(Path dir) {
        this.dir = dir;
    }

    @Override
    public List<Path> report(Comparison c) throws IOException {
        Files.createDirectories(dir);
        Path runs = dir.resolve("results.csv");
        Files.writeString(runs, runsCsv(c), StandardCharsets.UTF_8);
        Path sum = dir.resolve("summary.csv");
        Files.writeString(sum, summaryCsv(c), StandardCharsets.UTF_8);
        return List.of(runs, sum);
    }

    static String runsCsv(Comparison c) {
        StringBuilder sb = new StringBuilder(String.join(",", RUN_COLUMNS)).append('\n');
        for (RunResult r : c.runs()) {
            ReleaseFigures f = ReleaseFigures.of(r);
            List<String> row = List.of(cell(r.workload()), cell(r.subject()), r.kind(), String.valueOf(r.run()),
                    String.valueOf(r.ok()), d(r.opsPerSec()), r.ok() ? String.valueOf(r.timedOps()) : "", d(r.seconds()),
                    d(r.peakRssBytes()), d(r.allocPeakResidentBytes()), d(r.allocEndResidentBytes()),
                    d(r.allocAfterFreeResidentBytes()), d(r.syscallsPerOp()), d(r.residentDrift()), d(r.rssBaselineBytes()),
                    d(r.liveEndBytes()), d(r.livePeakBytes()), d(r.allocPeakMappedBytes()), d(f.mibSeconds()),
                    d(f.timeToReleaseMs()), d(f.recommitBytes()), d(f.releasedBytes()), d(f.returnedBytes()), d(f.syscallsPerMibReleased()),
                    r.ok() ? String.valueOf(r.checks()) : "", r.ok() ? String.valueOf(r.gcCount()) : "",
                    cell(r.error() == null ? "" : r.error()));
            sb.append(String.join(",", row)).append('\n');
        }
        return sb.toString();
    }

    static String summaryCsv(Comparison c) {
        StringBuilder sb = new StringBuilder(String.join(",", SUMMARY_COLUMNS)).append('\n');
        for (Summary s : c.summaries()) {
            Summary b = c.baselineOf(s.workload());
            Verdict v = c.verdict(s.workload(), s.subject());
            sb.append(String.join(",", List.of(cell(s.workload()), cell(s.subject()), s.kind(), String.valueOf(s.runs()),
                    String.valueOf(s.failed()), d(s.opsMedian()), d(s.opsMin()), d(s.opsMax()), d(s.opsCv()),
                    b == null ? "" : d(s.opsMedian() / b.opsMedian()), d(s.peakRssMedian()), d(s.allocPeakMax()),
                    d(s.allocEndMedian()), d(s.syscallsPerOpMax()), d(s.driftMedian()), d(s.livePeakMedian()),
                    d(s.liveEndMedian()), d(s.peakOverLive()),
                    s.peakOverLiveMeasure() == null ? "" : cell(s.peakOverLiveMeasure()), d(s.allocMappedPeakMax()),
                    d(s.mappedOverLive()), d(s.mibSecondsMedian()),
                    d(s.timeToReleaseMsMax()), d(s.recommitBytesMedian()), d(s.releasedBytesMedian()),
                    d(s.returnedBytesMedian()), d(s.syscallsPerMibReleasedMax()), d(s.rssOverJvmMedian()),
                    d(s.allocFootprintMax()), v == null ? "" : v.kind().label()))).append('\n');
        }
        return sb.toString();
    }

    /** A number cell: empty for NaN, {@code never} for +Infinity, integers without a fraction. */
    static String d(double v) {
        if (v == Double.POSITIVE_INFINITY) {
            return "never";
        }
        return Double.isNaN(v) || Double.isInfinite(v) ? "" : (v == Math.rint(v) && Math.abs(v) < 1e15
                ? String.valueOf((long) v) : String.valueOf(v));
    }

    /** A text cell, quoted when it holds a comma, a quote or a line break. */
    static String cell(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
            return '"' + s.replace("\"", "\"\"").replace("\n", " ") + '"';
        }
        return s;
    }
}
