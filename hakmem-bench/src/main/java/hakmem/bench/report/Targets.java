package hakmem.bench.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import hakmem.bench.run.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The project's targets (issue 5), checked against whatever this comparison measured. A target whose subjects
 * or workload were not in the run is reported as {@code n/a} with what to add. Nothing here loosens a target.
 */
public final class Targets {
    public enum Status { MET, NOT_MET, NA }

    public record Check(String target, Status status, String measured) {
        public ObjectNode toJson() {
            ObjectNode o = Json.object();
            o.put("target", target);
            o.put("status", status == Status.NOT_MET ? "NOT MET" : status.name().replace("NA", "n/a"));
            o.put("measured", measured);
            return o;
        }
    }

    private Targets() {
    }

    static Summary find(List<Summary> all, String workload, String subject) {
        for (Summary s : all) {
            if (s.workload().equals(workload) && s.subject().equals(subject) && s.ok() > 0) {
                return s;
            }
        }
        return null;
    }

    static Check ratio(List<Summary> all, String a, String b, double min, int threads) {
        String name = String.format(Locale.ROOT, "%s on mixed (%d thread) >= %.1fx %s", a, threads, min, b);
        Summary sa = find(all, "mixed", a);
        Summary sb = find(all, "mixed", b);
        if (sa == null || sb == null) {
            return new Check(name, Status.NA, "needs " + a + " and " + b + " in the same compare (--peers " + b + ")");
        }
        double r = sa.opsMedian() / sb.opsMedian();
        return new Check(name, r >= min ? Status.MET : Status.NOT_MET, String.format(Locale.ROOT, "%.2fx (%s vs %s ops/s)",
                r, Format.ops(sa.opsMedian()), Format.ops(sb.opsMedian())));
    }

    public static List<Check> check(List<Summary> all, int mixedThreads) {
        List<Check> out = new ArrayList<>();
        out.add(ratio(all, "balanced", "unsafe", 3.0, mixedThreads));
        out.add(ratio(all, "balanced", "ffm-mimalloc", 2.0, mixedThreads));
        Summary lean = find(all, "mixed", "lean");
        Summary speed = find(all, "mixed", "speed");
        if (lean == null) {
            out.add(new Check("lean peak allocator resident on mixed < 10 MB (aim <= 2 MB)", Status.NA, "needs lean on mixed"));
        } else {
            double peak = lean.allocPeakMax();
            out.add(new Check("lean peak allocator resident on mixed < 10 MB (aim <= 2 MB)",
                    peak < 10e6 ? Status.MET : Status.NOT_MET,
                    Format.bytes(peak) + (peak <= 2e6 ? " (within the 2 MB aim)" : " (above the 2 MB aim)")));
        }
        if (lean == null || speed == null) {
            out.add(new Check("lean throughput on mixed >= 0.95x speed", Status.NA, "needs lean and speed on mixed"));
        } else {
            double r = lean.opsMedian() / speed.opsMedian();
            out.add(new Check("lean throughput on mixed >= 0.95x speed", r >= 0.95 ? Status.MET : Status.NOT_MET,
                    String.format(Locale.ROOT, "%.3fx", r)));
        }
        for (String[] t : new String[][] {{"speed", "1e-7"}, {"balanced", "1e-7"}, {"lean", "1e-6"}}) {
            Summary s = find(all, "mixed", t[0]);
            String name = t[0] + " steady-state syscalls/op on mixed <= " + t[1];
            if (s == null) {
                out.add(new Check(name, Status.NA, "needs " + t[0] + " on mixed"));
            } else {
                double v = s.syscallsPerOpMax();
                out.add(new Check(name, v <= Double.parseDouble(t[1]) ? Status.MET : Status.NOT_MET, Format.sci(v) + " (worst run)"));
            }
        }
        Summary lb = find(all, "burst", "lean");
        if (lb == null) {
            out.add(new Check("burst: lean ends within 2x its pre-burst resident", Status.NA, "needs lean on --workload burst"));
        } else {
            double r = lb.burstEnd() / lb.burstPre();
            out.add(new Check("burst: lean ends within 2x its pre-burst resident", r <= 2 ? Status.MET : Status.NOT_MET,
                    String.format(Locale.ROOT, "pre %s, peak %s, end %s (%.2fx pre)", Format.bytes(lb.burstPre()),
                            Format.bytes(lb.burstPeak()), Format.bytes(lb.burstEnd()), r)));
        }
        Summary sb = find(all, "burst", "speed");
        if (sb == null) {
            out.add(new Check("burst: speed keeps the peak (end >= 90% of peak)", Status.NA, "needs speed on --workload burst"));
        } else {
            double r = sb.burstEnd() / sb.burstPeak();
            out.add(new Check("burst: speed keeps the peak (end >= 90% of peak)", r >= 0.9 ? Status.MET : Status.NOT_MET,
                    String.format(Locale.ROOT, "peak %s, end %s (%.0f%% of peak)", Format.bytes(sb.burstPeak()),
                            Format.bytes(sb.burstEnd()), r * 100)));
        }
        List<Summary> remote = all.stream().filter(s -> s.workload().equals("remote")).toList();
        if (remote.isEmpty()) {
            out.add(new Check("remote: every subject completes with verified contents", Status.NA, "needs --workload remote"));
        } else {
            List<String> bad = remote.stream().filter(s -> s.failed() > 0).map(s -> s.subject() + " (" + s.firstError() + ")").toList();
            out.add(new Check("remote: every subject completes with verified contents", bad.isEmpty() ? Status.MET : Status.NOT_MET,
                    bad.isEmpty() ? remote.size() + " subjects, all runs verified" : "failed: " + String.join("; ", bad)));
        }
        return out;
    }
}
