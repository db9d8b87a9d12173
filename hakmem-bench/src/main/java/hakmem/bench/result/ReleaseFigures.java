package hakmem.bench.result;

import java.util.List;
import java.util.OptionalDouble;

/**
 * How a run held and gave back memory, from its allocator-resident curve ({@link RunResult#residentCurve}) and
 * its marks (hakmem policies only;
 * NaN for peers and failed runs). All over the timed window (mark {@code timed-start} to {@code timed-end}).
 *
 * @param mibSeconds            area under the allocator-resident curve, MiB x seconds (idle time included)
 * @param timeToReleaseMs       burst only: the worst cycle's time from {@code burst-freed} until resident is
 *                              within {@value #RELEASED_WITHIN}x of that cycle's {@code pre-burst} resident;
 *                              +Infinity ("never") if some cycle does not get there before its {@code idle-end};
 *                              NaN on other workloads
 * @param recommitBytes         bytes that left residency and were faulted back within {@value #RECOMMIT_WINDOW_MS} ms
 *                              ({@link ResidentCurve#recommittedBytes})
 * @param releasedBytes         resident bytes that left residency: the sum of the curve's falls
 * @param returnedBytes         address space the allocator handed back (stats {@code bytes_decommitted +
 *                              munmap_bytes}); more than {@code releasedBytes} where a decommitted slab is later
 *                              unmapped with its superslab, or an unmapped superslab was never touched whole
 * @param syscalls              mmap + munmap + madvise calls
 * @param syscallsPerMibReleased syscalls / (released bytes / MiB); NaN when nothing was released
 */
public record ReleaseFigures(double mibSeconds, double timeToReleaseMs, double recommitBytes, double releasedBytes,
                             double returnedBytes, double syscalls, double syscallsPerMibReleased) {
    /** "Released" means back within this factor of the pre-burst resident. */
    public static final double RELEASED_WITHIN = 2.0;
    /** A fall followed by a rise within this window is a re-commit. */
    public static final double RECOMMIT_WINDOW_MS = 1000;

    public static final ReleaseFigures NONE = new ReleaseFigures(Double.NaN, Double.NaN, Double.NaN, Double.NaN,
            Double.NaN, Double.NaN, Double.NaN);

    public boolean neverReleased() {
        return timeToReleaseMs == Double.POSITIVE_INFINITY;
    }

    /** The figures of one run; {@link #NONE} for peers, failed runs and runs without timed marks. */
    public static ReleaseFigures of(RunResult r) {
        RunResult.Mark start = r.mark("timed-start");
        RunResult.Mark end = r.mark("timed-end");
        ResidentCurve curve = r.residentCurve();
        if (!r.ok() || !r.isPolicy() || start == null || end == null || curve.isEmpty()) {
            return NONE;
        }
        double from = start.tMs();
        double to = end.tMs();
        double returned = start.returnedBytes() >= 0 && end.returnedBytes() >= 0
                ? end.returnedBytes() - start.returnedBytes() : Double.NaN;
        double syscalls = start.syscalls() >= 0 && end.syscalls() >= 0 ? end.syscalls() - start.syscalls() : Double.NaN;
        double released = curve.fallenBytes(from, to);
        return new ReleaseFigures(curve.mibSeconds(from, to), timeToRelease(curve, r), curve.recommittedBytes(from, to,
                RECOMMIT_WINDOW_MS), released, returned, syscalls,
                released > 0 ? syscalls / (released / ResidentCurve.MIB) : Double.NaN);
    }

    /** The worst burst cycle's time to release (see the record), NaN if the run has no burst cycle. */
    static double timeToRelease(ResidentCurve curve, RunResult r) {
        List<RunResult.Mark> pre = r.marks("pre-burst");
        List<RunResult.Mark> freed = r.marks("burst-freed");
        List<RunResult.Mark> idleEnd = r.marks("idle-end");
        int cycles = Math.min(pre.size(), Math.min(freed.size(), idleEnd.size()));
        if (cycles == 0) {
            return Double.NaN;
        }
        double worst = 0;
        for (int c = 0; c < cycles; c++) {
            double from = freed.get(c).tMs();
            OptionalDouble at = curve.firstAtOrBelow(from, idleEnd.get(c).tMs(), RELEASED_WITHIN * pre.get(c).resident());
            worst = Math.max(worst, at.isPresent() ? at.getAsDouble() - from : Double.POSITIVE_INFINITY);
        }
        return worst;
    }
}
