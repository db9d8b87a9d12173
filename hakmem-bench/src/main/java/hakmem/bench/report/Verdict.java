package hakmem.bench.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import hakmem.bench.run.Json;
import java.util.Locale;

/**
 * The seed's GO / NO-GO verdict for a lean-family policy against {@code speed}, on Mixed. Rules, checked in this
 * order:
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

    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("policy", policy);
        o.put("against", against);
        o.put("verdict", kind.label());
        o.put("reason", reason);
        return o;
    }
}
