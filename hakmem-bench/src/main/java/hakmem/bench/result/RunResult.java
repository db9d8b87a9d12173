package hakmem.bench.result;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One run as the report reads it: the figures {@code hakmem run} printed, typed. Byte and rate figures a subject
 * cannot report (peers: allocator resident, syscalls) are NaN. {@code raw} is the run object exactly as the child
 * printed it (plus the fork details), kept only to be written to results.json; nothing reads figures from it.
 *
 * @param run    1-based index of the run among the runs of its subject and workload (0 if unknown)
 * @param rssBaselineBytes process RSS at the run's {@code open} mark: the JVM and the opened subject, before the
 *                         workload allocated anything
 * @param liveEndBytes  the sum of the sizes of the blocks the workload held at the end of the timed loop (NaN if the
 *                      workload does not track it)
 * @param livePeakBytes the highest such sum over the run (NaN if not tracked)
 * @param allocPeakMappedBytes the most address space the allocator had mapped at once (NaN for peers): resident
 *                      counts touched pages only, and the loops touch two bytes per block
 * @param allocPeakMetadataBytes the most Java-heap bytes the allocator's bookkeeping held at once (its
 *                      {@code metadata_bytes} peak; NaN for peers and the baseline)
 * @param marks  the phase marks in the order taken
 * @param samples the sampled series, in time order
 */
public record RunResult(String workload, String subject, String kind, int run, boolean ok, String error,
                        String detail, double opsPerSec, long timedOps, double seconds, long checks, long gcCount,
                        double peakRssBytes, double allocPeakResidentBytes, double allocEndResidentBytes,
                        double allocAfterFreeResidentBytes, double syscallsPerOp, double residentDrift,
                        double residentDriftBytes, double rssBaselineBytes, double liveEndBytes,
                        double livePeakBytes, double allocPeakMappedBytes, double allocPeakMetadataBytes, List<Mark> marks, List<Sample> samples, ObjectNode raw) {

    public RunResult {
        marks = List.copyOf(marks);
        samples = List.copyOf(samples);
    }

    /**
     * A phase mark: when it was taken, the allocator's resident bytes (-1: n/a), the process RSS, the system calls
     * (mmap + munmap + madvise) and the bytes handed back (decommitted + unmapped) so far (-1: n/a).
     */
    public record Mark(String label, double tMs, long resident, long rss, long syscalls, long returnedBytes) {
    }

    /** One sample of the sampler thread: ms since the run started, allocator resident (-1: n/a), process RSS. */
    public record Sample(double tMs, long resident, long rss) {
    }

    public boolean isPolicy() {
        return "policy".equals(kind);
    }

    /** A run of the JVM baseline (the workload with no allocator, {@code no-alloc}). */
    public boolean isBaseline() {
        return "baseline".equals(kind);
    }

    /** The allocator's own footprint at its peak: resident bytes of its mappings plus its Java-heap metadata (NaN for peers). */
    public double allocFootprintBytes() {
        return allocPeakResidentBytes + allocPeakMetadataBytes;
    }

    /** Peak RSS above the RSS at the open mark: what the run added to the process (NaN if either is unknown). */
    public double rssOverBaselineBytes() {
        return peakRssBytes - rssBaselineBytes;
    }

    /** The first mark with this label, or null. */
    public Mark mark(String label) {
        for (Mark m : marks) {
            if (m.label().equals(label)) {
                return m;
            }
        }
        return null;
    }

    /** The marks with this label, in order. */
    public List<Mark> marks(String label) {
        return marks.stream().filter(m -> m.label().equals(label)).toList();
    }

    /**
     * The allocator-resident curve (empty for peers): the sampler's samples, or the marks when the run took no
     * samples ({@code --sample-ms 0}). Marks are left out of a sampled curve on purpose: they are measured on the
     * workload's thread while the sampler measures on its own, and a mincore pass takes time, so a mark and a
     * sample can be stamped in the opposite order of what they saw, which on a growing footprint looks like a
     * fall and a rise. The sampler's passes never overlap, so a footprint that only grows never shows a fall.
     */
    public ResidentCurve residentCurve() {
        List<ResidentCurve.Point> points = new ArrayList<>();
        for (Sample s : samples) {
            if (s.resident() >= 0) {
                points.add(new ResidentCurve.Point(s.tMs(), s.resident()));
            }
        }
        if (points.isEmpty()) {
            for (Mark m : marks) {
                if (m.resident() >= 0) {
                    points.add(new ResidentCurve.Point(m.tMs(), m.resident()));
                }
            }
        }
        return ResidentCurve.of(points);
    }

    /** Reads a run object of {@code hakmem run} (as compare collects it, with {@code run} added). */
    public static RunResult fromJson(ObjectNode o) {
        List<Mark> marks = new ArrayList<>();
        for (JsonNode m : o.path("marks")) {
            marks.add(new Mark(m.path("label").asText(), m.path("tMs").asDouble(), m.path("resident").asLong(-1),
                    m.path("rss").asLong(-1), m.path("syscalls").asLong(-1), m.path("returnedBytes").asLong(-1)));
        }
        List<Sample> samples = new ArrayList<>();
        for (JsonNode s : o.path("series")) {
            samples.add(new Sample(s.path(0).asDouble(), s.path(1).asLong(-1), s.path(2).asLong(-1)));
        }
        samples.sort((a, b) -> Double.compare(a.tMs(), b.tMs()));
        return new RunResult(text(o, "workload", ""), text(o, "subject", ""), text(o, "kind", "peer"),
                o.path("run").asInt(0), o.path("ok").asBoolean(false),
                o.path("ok").asBoolean(false) ? null : text(o, "error", "failed without a message"),
                text(o, "detail", ""), num(o, "opsPerSec"), o.path("timedOps").asLong(0), num(o, "seconds"),
                o.path("checks").asLong(0), o.path("gcCount").asLong(0), num(o, "peakRssBytes"),
                num(o, "allocPeakResidentBytes"), num(o, "allocEndResidentBytes"), num(o, "allocAfterFreeResidentBytes"),
                num(o, "syscallsPerOp"), num(o, "residentDrift"), num(o, "residentDriftBytes"), num(o, "rssBaselineBytes"),
                num(o, "liveEndBytes"), num(o, "livePeakBytes"), num(o, "allocPeakMappedBytes"),
                num(o, "allocPeakMetadataBytes"), marks, samples, o);
    }

    private static String text(JsonNode n, String key, String dflt) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() ? dflt : v.asText();
    }

    private static double num(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() || !v.isNumber() ? Double.NaN : v.asDouble();
    }
}
