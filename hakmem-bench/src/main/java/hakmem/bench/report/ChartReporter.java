package hakmem.bench.report;

import hakmem.bench.result.RunResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The PNG charts, per workload: {@code throughput-<w>.png} (median ops/s, min..max whiskers),
 * {@code resident-<w>.png} and {@code rss-<w>.png} (each subject's median run over time, 0 s = timed loop starts)
 * and {@code tradeoff-<w>.png} (ops/s against MiB-seconds held, one point per policy subject).
 */
public final class ChartReporter implements Reporter {
    private final Path dir;

    public ChartReporter(Path dir) {
        this.dir = dir;
    }

    /** The chart file names of a workload, in the order they are written (the Markdown report links them). */
    public static List<String> names(String workload) {
        String f = Format.fileLabel(workload);
        return List.of("throughput-" + f + ".png", "resident-" + f + ".png", "rss-" + f + ".png", "tradeoff-" + f + ".png");
    }

    @Override
    public List<Path> report(Comparison c) throws IOException {
        java.nio.file.Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        for (String w : c.workloads()) {
            List<Summary> ws = c.summaries(w);
            if (ws.isEmpty()) {
                continue;
            }
            List<String> files = names(w);
            Path tp = dir.resolve(files.get(0));
            Charts.throughput(tp, "Throughput on " + w + " (" + ws.getFirst().runs() + " runs per subject)", ws);
            written.add(tp);
            List<Charts.Series> resident = series(c, w, false);
            if (!resident.isEmpty()) {
                Path rp = dir.resolve(files.get(1));
                Charts.timeSeries(rp, "Allocator resident (mincore) on " + w + ", median run; 0 s = timed loop starts",
                        "MiB", resident);
                written.add(rp);
            }
            Path sp = dir.resolve(files.get(2));
            Charts.timeSeries(sp, "Process RSS on " + w + ", median run; 0 s = timed loop starts", "MiB", series(c, w, true));
            written.add(sp);
            List<Charts.Point> points = ws.stream().filter(s -> s.hasReleaseFigures() && !Double.isNaN(s.opsMedian()))
                    .map(s -> new Charts.Point(s.subject(), s.mibSecondsMedian(), s.opsMedian() / 1e6)).toList();
            if (!points.isEmpty()) {
                Path xp = dir.resolve(files.get(3));
                Charts.scatter(xp, "Throughput against memory held on " + w + " (medians)",
                        "MiB-seconds held (allocator resident, timed window)", "M ops/s", points);
                written.add(xp);
            }
        }
        return written;
    }

    /**
     * Per subject, the sampled series of its median run, with time 0 at the start of the timed loop (warm-up is
     * negative): the allocator's resident bytes ({@code rss == false}, hakmem only) or the process RSS.
     */
    static List<Charts.Series> series(Comparison c, String workload, boolean rss) {
        List<Charts.Series> out = new ArrayList<>();
        for (Summary s : c.summaries(workload)) {
            if (s.ok() == 0 || (!rss && !s.isPolicy())) {
                continue;
            }
            RunResult median = c.medianRun(s);
            if (median == null) {
                continue;
            }
            RunResult.Mark start = median.mark("timed-start");
            double zero = start == null ? 0 : start.tMs();
            List<RunResult.Sample> samples = median.samples();
            double[] t = new double[samples.size()];
            double[] v = new double[samples.size()];
            for (int i = 0; i < samples.size(); i++) {
                t[i] = (samples.get(i).tMs() - zero) / 1000;
                v[i] = rss ? samples.get(i).rss() : samples.get(i).resident();
            }
            out.add(new Charts.Series(s.subject(), t, v));
        }
        return out;
    }
}
