package hakmem.bench.report;

import hakmem.bench.subject.Subjects;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The terminal view: per workload the figures table, the release table and burst levels; then the verdicts and their rules. */
public final class ConsoleReporter implements Reporter {
    private final PrintStream out;

    public ConsoleReporter(PrintStream out) {
        this.out = out;
    }

    @Override
    public List<Path> report(Comparison c) {
        for (String w : c.workloads()) {
            table(c, w);
        }
        verdicts(c);
        if (c.quick()) {
            out.println("\n--quick times about a million ops per run: a smoke test of every subject, not a speed measurement.");
        }
        return List.of();
    }

    static int width(List<Summary> ss) {
        return Math.max(8, ss.stream().mapToInt(s -> s.subject().length()).max().orElse(8));
    }

    void table(Comparison c, String workload) {
        List<Summary> ss = c.summaries(workload);
        Summary b = c.baselineOf(workload);
        int n = width(ss);
        out.printf(Locale.ROOT, "%n%s%s%n", workload, b == null ? "" : "   (ratios to " + b.subject() + ")");
        String row = "  %-" + n + "s %11s %19s %6s %7s %10s %11s %11s %11s %10s %9s %11s %7s%n";
        out.printf(Locale.ROOT, row, "subject", "ops/s med", "min..max", "CV", "ratio", "peak RSS", "alloc peak",
                "alloc end", "syscall/op", "live peak", "peak/live", "mapped/live", "runs");
        for (Summary s : ss) {
            out.printf(Locale.ROOT, row, s.subject(),
                    Format.ops(s.opsMedian()), Format.ops(s.opsMin()).replace(" M", "") + ".." + Format.ops(s.opsMax()),
                    Double.isNaN(s.opsCv()) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", s.opsCv() * 100),
                    b == null ? "n/a" : Format.ratio(s.opsMedian() / b.opsMedian()), Format.bytes(s.peakRssMedian()),
                    Format.bytes(s.allocPeakMax()), Format.bytes(s.allocEndMedian()),
                    s.isPolicy() ? Format.sci(s.syscallsPerOpMax()) : "n/a", Format.bytes(s.livePeakMedian()),
                    Format.peakOverLive(s), Format.ratio(s.mappedOverLive()), s.failed() > 0 ? s.ok() + "/" + s.runs() + "!" : String.valueOf(s.runs()));
        }
        if (ss.stream().anyMatch(s -> Summary.RSS_OVER_BASELINE.equals(s.peakOverLiveMeasure()))) {
            out.println("  " + Format.PEAK_OVER_LIVE_RSS_NOTE);
        }
        footprint(c, workload, ss, n);
        List<Summary> release = ss.stream().filter(Summary::hasReleaseFigures).toList();
        if (!release.isEmpty()) {
            out.printf(Locale.ROOT, "  release (allocator resident, timed window):%n");
            String rrow = "  %-" + n + "s %12s %16s %12s %12s %14s%n";
            out.printf(Locale.ROOT, rrow, "subject", "MiB-s held", "time to release", "re-commit", "released", "syscalls/MiB");
            for (Summary s : release) {
                out.printf(Locale.ROOT, rrow, s.subject(), Format.mibSeconds(s.mibSecondsMedian()),
                        Format.millis(s.timeToReleaseMsMax()), Format.bytes(s.recommitBytesMedian()),
                        Format.bytes(s.releasedBytesMedian()), Format.decimal(s.syscallsPerMibReleasedMax()));
            }
        }
        for (Summary s : ss) {
            if (!Double.isNaN(s.burstPre())) {
                out.printf(Locale.ROOT, "  %-" + n + "s burst (%s): pre %s, peak %s, end %s (%.2fx pre)%n", s.subject(),
                        s.isPolicy() ? "allocator resident" : "process RSS", Format.bytes(s.burstPre()),
                        Format.bytes(s.burstPeak()), Format.bytes(s.burstEnd()), s.burstEnd() / s.burstPre());
            }
        }
        for (Summary s : ss) {
            if (s.failed() > 0) {
                out.printf("  ! %s: %d of %d runs failed: %s%n", s.subject(), s.failed(), s.runs(), s.firstError());
            }
        }
    }

    /** Every subject on the same footing: peak RSS over the no-alloc JVM, beside the allocator's own resident + metadata. */
    void footprint(Comparison c, String workload, List<Summary> ss, int n) {
        double jvm = c.jvmBaselineRss(workload);
        if (Double.isNaN(jvm)) {
            return;
        }
        out.printf(Locale.ROOT, "  footprint over the JVM baseline (%s, same JVM options, no allocator: peak RSS %s):%n",
                Subjects.NO_ALLOC, Format.bytes(jvm));
        String frow = "  %-" + n + "s %16s %26s%n";
        out.printf(Locale.ROOT, frow, "subject", "peak RSS - JVM", "alloc resident + metadata");
        for (Summary s : ss) {
            out.printf(Locale.ROOT, frow, s.subject(), Format.bytes(s.rssOverJvmMedian()), Format.footprint(s));
        }
    }

    void verdicts(Comparison c) {
        if (c.verdicts().isEmpty()) {
            return;
        }
        boolean steady = false;
        boolean release = false;
        for (var e : c.verdicts().entrySet()) {
            String w = e.getKey();
            int n = Math.max(10, e.getValue().stream().mapToInt(v -> v.policy().length()).max().orElse(10));
            out.printf("%nVerdict on %s (%s rules; lean-family policies vs speed):%n", w,
                    Comparison.isRelease(w) ? "release" : "steady-state");
            for (Verdict v : e.getValue()) {
                out.printf("  %-" + n + "s %-8s %s%n", v.policy(), v.kind().label(), v.reason());
            }
            steady |= !Comparison.isRelease(w);
            release |= Comparison.isRelease(w);
        }
        out.println();
        if (steady) {
            out.println(Verdict.STEADY_RULES);
        }
        if (release) {
            out.println(Verdict.RELEASE_RULES);
        }
    }
}
