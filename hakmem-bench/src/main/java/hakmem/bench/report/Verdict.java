package hakmem.bench.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import hakmem.bench.run.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The GO / NO-GO / NEUTRAL verdict of a lean-family policy (every policy subject but plain {@code speed}) against
 * {@code speed}, per workload. Burst is judged by the release rules ({@link #decideRelease}); every other
 * workload by the steady-state rules below (the seed's, for Mixed), checked in this order:
 * <ol>
 *   <li>NO-GO if any run failed, if syscalls storm (more than {@value #STORM} per op in the timed loop, worst
 *       run), or if resident memory does not fall (the policy's peak allocator resident is not below speed's);</li>
 *   <li>GO if the peak resident is under the target, drift is 0 (|drift| &lt;= {@value #DRIFT_TOLERANCE}, or the
 *       change is at most {@value #DRIFT_SLACK_BYTES} bytes: one slab, the allocator's unit of commit, below which a
 *       change is a page or two of sampling noise on a footprint of a few hundred KiB) and
 *       throughput is within -10% of speed (ratio of medians &gt;= {@value #MIN_RATIO});</li>
 *   <li>NEUTRAL otherwise: memory falls but throughput drops more than 10% (or, a case the seed's rules leave
 *       open, memory falls and throughput holds but the peak is not under the target or the drift is not 0).</li>
 * </ol>
 * Peak resident = the highest allocator resident sampled over all runs (both subjects).
 */
public record Verdict(String policy, String against, Kind kind, String reason) {
    public static final double STORM = 1e-4;
    public static final double DRIFT_TOLERANCE = 0.01;
    public static final long DRIFT_SLACK_BYTES = 64 * 1024;
    public static final double MIN_RATIO = 0.90;
    /** Release rules: more syscalls than this per MiB released is a storm (less than one 4 KiB page per call). */
    public static final double RELEASE_STORM_PER_MIB = 256;
    /** Release rules: GO needs resident back within 2x of pre-burst this soon after the burst is freed. */
    public static final double RELEASE_DEADLINE_MS = 1000;
    /** Release rules: GO needs at most this fraction of the released bytes faulted back within 1 s. */
    public static final double RECOMMIT_MAX_FRACTION = 0.10;

    public enum Kind {
        GO, NO_GO, NEUTRAL, NA;

        public String label() {
            return switch (this) {
                case GO -> "GO";
                case NO_GO -> "NO-GO";
                case NEUTRAL -> "NEUTRAL";
                case NA -> "n/a";
            };
        }
    }

    /** The figures a verdict is made of. */
    public record Input(int runs, int failed, String firstError, double peakResident, double speedPeakResident,
                        double throughputRatio, double drift, double driftBytes, double syscallsPerOp,
                        double targetBytes) {
    }

    /**
     * The figures a release verdict (burst) is made of.
     *
     * @param releasedBytes    resident bytes that left residency in the timed window (median run)
     * @param timeToReleaseMs  worst run's time to release; +Infinity = never
     * @param mibSeconds       MiB-seconds held (median run); {@code speedMibSeconds} the same for speed
     * @param recommitBytes    bytes faulted back within 1 s of leaving (median run)
     * @param syscallsPerMibReleased worst run
     */
    public record ReleaseInput(int runs, int failed, String firstError, double releasedBytes, double timeToReleaseMs,
                               double mibSeconds, double speedMibSeconds, double recommitBytes,
                               double syscallsPerMibReleased, double throughputRatio) {
    }

    /**
     * The release rules (burst), checked in this order:
     * <ol>
     *   <li>NO-GO if any run failed; if it releases nothing (allocator resident never falls in the timed window);
     *       if resident never falls back within 2x of pre-burst before the idle ends, in some run; or if releasing
     *       storms (more than {@value #RELEASE_STORM_PER_MIB} syscalls per MiB released, worst run);</li>
     *   <li>GO if resident is back within 2x of pre-burst within {@value #RELEASE_DEADLINE_MS} ms of the burst's
     *       free (worst run), it holds fewer MiB-seconds than speed, at most {@value #RECOMMIT_MAX_FRACTION} of
     *       the released bytes are faulted back within 1 s, and throughput is within -10% of speed
     *       (&gt;= {@value #MIN_RATIO});</li>
     *   <li>NEUTRAL otherwise: it releases, but late, or too eagerly, or holds as much as speed, or at more than
     *       10% of throughput (the reason names which).</li>
     * </ol>
     */
    public static Verdict decideRelease(String policy, ReleaseInput in) {
        if (in.failed() > 0) {
            return new Verdict(policy, "speed", Kind.NO_GO, String.format(Locale.ROOT, "%d of %d runs failed: %s",
                    in.failed(), in.runs(), in.firstError()));
        }
        if (!(in.releasedBytes() > 0)) {
            return new Verdict(policy, "speed", Kind.NO_GO, "releases nothing: allocator resident never falls in the timed window");
        }
        if (in.timeToReleaseMs() == Double.POSITIVE_INFINITY) {
            return new Verdict(policy, "speed", Kind.NO_GO, String.format(Locale.ROOT, "resident never falls back within "
                    + "2x of pre-burst before the idle ends (released %s in all)", Format.bytes(in.releasedBytes())));
        }
        if (in.syscallsPerMibReleased() > RELEASE_STORM_PER_MIB) {
            return new Verdict(policy, "speed", Kind.NO_GO, String.format(Locale.ROOT,
                    "release storm: %.1f syscalls per MiB released > %.0f", in.syscallsPerMibReleased(), RELEASE_STORM_PER_MIB));
        }
        double recommitFraction = in.recommitBytes() / in.releasedBytes();
        boolean prompt = in.timeToReleaseMs() <= RELEASE_DEADLINE_MS;
        boolean holdsLess = in.mibSeconds() < in.speedMibSeconds();
        boolean notEager = !(recommitFraction > RECOMMIT_MAX_FRACTION);
        boolean fast = in.throughputRatio() >= MIN_RATIO;
        String figures = String.format(Locale.ROOT, "time to release %.0f ms, %.1f MiB-s held vs speed %.1f, re-commit %s"
                        + " of %s released (%.1f%%), %.1f syscalls/MiB released, throughput %.3fx speed", in.timeToReleaseMs(),
                in.mibSeconds(), in.speedMibSeconds(), Format.bytes(in.recommitBytes()), Format.bytes(in.releasedBytes()),
                recommitFraction * 100, in.syscallsPerMibReleased(), in.throughputRatio());
        if (prompt && holdsLess && notEager && fast) {
            return new Verdict(policy, "speed", Kind.GO, "releases within 1 s, holds less than speed, re-commits little, "
                    + "throughput within -10%: " + figures);
        }
        List<String> why = new ArrayList<>();
        if (!prompt) {
            why.add("releases later than 1 s");
        }
        if (!holdsLess) {
            why.add("holds no fewer MiB-seconds than speed");
        }
        if (!notEager) {
            why.add("re-commits more than 10% of what it releases");
        }
        if (!fast) {
            why.add("throughput drops more than 10%");
        }
        return new Verdict(policy, "speed", Kind.NEUTRAL, "releases, but " + String.join(", ", why) + ": " + figures);
    }

    public static Verdict decide(String policy, Input in) {
        if (in.failed() > 0) {
            return new Verdict(policy, "speed", Kind.NO_GO, String.format(Locale.ROOT, "%d of %d runs failed: %s",
                    in.failed(), in.runs(), in.firstError()));
        }
        if (in.syscallsPerOp() > STORM) {
            return new Verdict(policy, "speed", Kind.NO_GO, String.format(Locale.ROOT,
                    "syscall storm: %.3g syscalls/op > %.0e", in.syscallsPerOp(), STORM));
        }
        String mem = String.format(Locale.ROOT, "peak resident %s vs speed %s", Format.bytes(in.peakResident()),
                Format.bytes(in.speedPeakResident()));
        if (!(in.peakResident() < in.speedPeakResident())) {
            return new Verdict(policy, "speed", Kind.NO_GO, "resident memory does not fall: " + mem);
        }
        boolean underTarget = in.peakResident() < in.targetBytes();
        boolean noDrift = Math.abs(in.drift()) <= DRIFT_TOLERANCE || Math.abs(in.driftBytes()) <= DRIFT_SLACK_BYTES;
        boolean fast = in.throughputRatio() >= MIN_RATIO;
        String figures = String.format(Locale.ROOT, "%s (target %s), drift %s (%+.0f KiB), throughput %.3fx speed", mem,
                Format.mb(in.targetBytes()), Format.percent(in.drift()), in.driftBytes() / 1024, in.throughputRatio());
        if (underTarget && noDrift && fast) {
            return new Verdict(policy, "speed", Kind.GO, "under target, no drift, throughput within -10%: " + figures);
        }
        if (!fast) {
            return new Verdict(policy, "speed", Kind.NEUTRAL, "memory falls but throughput drops more than 10%: " + figures);
        }
        return new Verdict(policy, "speed", Kind.NEUTRAL, (underTarget ? "" : "memory falls but peak is not under the target")
                + (!underTarget && !noDrift ? "; " : "") + (noDrift ? "" : "resident drifts more than 1% and 64 KiB") + ": " + figures);
    }

    /** The verdict from two summaries on the same workload. */
    public static Verdict decide(Summary policy, Summary speed, double targetBytes) {
        if (speed == null || speed.ok() == 0) {
            return new Verdict(policy.subject(), "speed", Kind.NA, "no successful speed run to compare with");
        }
        if (policy.ok() == 0) {
            return decide(policy.subject(), new Input(policy.runs(), policy.failed(), policy.firstError(), Double.NaN,
                    Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, targetBytes));
        }
        return decide(policy.subject(), new Input(policy.runs(), policy.failed(), policy.firstError(),
                policy.allocPeakMax(), speed.allocPeakMax(), policy.opsMedian() / speed.opsMedian(),
                policy.driftMedian(), policy.driftBytesMedian(), policy.syscallsPerOpMax(), targetBytes));
    }

    /** The release verdict (burst) from two summaries on the same workload. */
    public static Verdict decideRelease(Summary policy, Summary speed) {
        if (speed == null || speed.ok() == 0) {
            return new Verdict(policy.subject(), "speed", Kind.NA, "no successful speed run to compare with");
        }
        return decideRelease(policy.subject(), new ReleaseInput(policy.runs(), policy.failed(), policy.firstError(),
                policy.releasedBytesMedian(), policy.timeToReleaseMsMax(), policy.mibSecondsMedian(),
                speed.mibSecondsMedian(), policy.recommitBytesMedian(), policy.syscallsPerMibReleasedMax(),
                policy.opsMedian() / speed.opsMedian()));
    }

    /** The rules of both kinds, as the report prints them. */
    public static final String STEADY_RULES = String.format(Locale.ROOT, "Steady-state rules (every workload but "
            + "burst): NO-GO if any run failed, syscalls > %.0e/op (worst run), or the peak allocator resident is not "
            + "below speed's; GO if the peak is under the target (--target-mb), |drift| <= 1%% or <= 64 KiB, and "
            + "throughput >= %.2fx speed (medians); NEUTRAL otherwise.", STORM, MIN_RATIO);
    public static final String RELEASE_RULES = String.format(Locale.ROOT, "Release rules (burst): NO-GO if any run "
            + "failed, nothing is released (allocator resident never falls in the timed window), resident never "
            + "falls back within 2x of pre-burst before the idle ends (some run), or more than %.0f syscalls per MiB "
            + "released; GO if time to release <= %.0f ms (worst run), MiB-seconds held < speed's, re-commit after "
            + "decommit <= %.0f%% of the bytes released, and throughput >= %.2fx speed; NEUTRAL otherwise.",
            RELEASE_STORM_PER_MIB, RELEASE_DEADLINE_MS, RECOMMIT_MAX_FRACTION * 100, MIN_RATIO);

    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("policy", policy);
        o.put("against", against);
        o.put("verdict", kind.label());
        o.put("reason", reason);
        return o;
    }
}
