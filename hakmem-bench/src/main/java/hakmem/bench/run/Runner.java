package hakmem.bench.run;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hakmem.api.AllocatorStats;
import hakmem.bench.sim.SimConfig;
import hakmem.bench.subject.Subject;
import hakmem.bench.subject.Subjects;
import hakmem.bench.workload.Mem;
import hakmem.bench.workload.Meter;
import hakmem.bench.workload.Outcome;
import hakmem.bench.workload.Params;
import hakmem.bench.workload.Workload;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.DoubleConsumer;

/**
 * Runs one subject on one workload once, in this JVM, and describes the run as one JSON object: the figures
 * (ops/s, peak RSS, allocator peak/end resident, syscalls per op, resident drift), the marks, the sampled series
 * and the final stats. A failed check or any exception gives {@code "ok": false} with the error.
 */
public final class Runner {
    /** Stats counters that are system calls. */
    static final List<String> SYSCALL_COUNTERS = List.of("mmap_calls", "munmap_calls", "madvise_calls");
    /** Stats counters that are bytes handed back to the operating system (decommitted or unmapped). */
    static final List<String> RETURN_COUNTERS = List.of("bytes_decommitted", "munmap_bytes");

    private Runner() {
    }

    /** A mark: label, times (ms since start) before and after sampling, sample, stats and GC totals. */
    record Mark(String label, double tBeforeMs, double tAfterMs, long resident, long rss, long syscalls,
                long returnedBytes, long gcCount, long gcMillis) {
    }

    public static ObjectNode run(String subjectId, Workload workload, Params p, long sampleMs, DoubleConsumer progress) {
        return run(subjectId, workload, p, sampleMs, null, progress);
    }

    /**
     * As above, on the simulated OS if {@code sim} is not null: times, marks and samples are then in the subject's
     * virtual time, and nothing measured on the host (process RSS, GC) is in the result, so that the same run gives the
     * same result on any machine.
     */
    public static ObjectNode run(String subjectId, Workload workload, Params p, long sampleMs, SimConfig sim,
                                 DoubleConsumer progress) {
        if (subjectId.equals(Subjects.NO_ALLOC)) {
            // before any workload code reads Mem.TOUCH: a baseline run's fake blocks are never touched
            System.setProperty(Mem.NO_TOUCH_PROPERTY, "true");
        }
        ObjectNode out = Json.object();
        out.put("subject", subjectId);
        out.put("workload", workload.id());
        ObjectNode params = out.putObject("params");
        params.put("ops", p.ops());
        params.put("warmup", p.warmup());
        params.put("threads", p.threads());
        params.put("ws", p.ws());
        if (workload.id().equals("burst")) {
            params.put("burstMb", p.burstMb());
            params.put("idleMs", p.idleMs());
            params.put("cycles", p.cycles());
        }
        out.put("pid", ProcessHandle.current().pid());
        if (sim != null) {
            out.put("os", "sim");
            out.set("sim", simJson(sim));
        }
        long wallOrigin = System.nanoTime();
        List<Mark> marks = new ArrayList<>();
        Subject subject = null;
        Sampler sampler = null;
        try {
            if (subjectId.equals(Subjects.NO_ALLOC) && Mem.TOUCH) {
                throw new IllegalStateException("the no-alloc baseline needs -D" + Mem.NO_TOUCH_PROPERTY
                        + "=true before the workload classes load (hakmem compare sets it)");
            }
            subject = Subjects.create(subjectId, workload.maxLive(p), workload.crossThreadFrees(p), sim);
            out.put("kind", subject.kind());
            out.put("detail", subject.detail());
            Subject s = subject;
            long origin = s.simClock() != null ? s.simClock().nanoTime() : wallOrigin;
            Sampler smp = new Sampler(s, origin, sampleMs);
            sampler = smp;
            marks.add(mark("open", s, smp, origin));
            smp.start();
            Meter meter = new Meter() {
                @Override
                public void mark(String label) {
                    synchronized (marks) {
                        marks.add(Runner.mark(label, s, smp, origin));
                    }
                }

                @Override
                public void progress(double fraction) {
                    progress.accept(Math.min(1, fraction));
                }
            };
            Outcome outcome = workload.run(s, p, meter);
            smp.close();
            marks.add(mark("freed", s, smp, origin));
            AllocatorStats end = s.stats();
            figures(out, outcome, marks, smp.samples(), s.kind().equals("policy"));
            if (end != null) {
                out.set("stats", Json.parse(end.toJson()));
            }
            mappedPeak(out, end);
            out.put("ok", true);
        } catch (Throwable t) {
            out.put("ok", false);
            out.put("error", describe(t));
            if (!out.has("kind")) {
                out.put("kind", Subjects.kindOf(subjectId));
            }
        } finally {
            if (sampler != null) {
                try {
                    sampler.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (subject != null) {
                try {
                    subject.close();
                } catch (RuntimeException e) {
                    out.put("ok", false);
                    out.put("error", "close failed: " + e);
                }
            }
        }
        if (sim == null) {
            out.put("peakRssBytes", ProcStatus.peakRss());
        } else {
            out.putNull("peakRssBytes"); // the host's, not the simulation's
        }
        ArrayNode ms = out.putArray("marks");
        for (Mark m : marks) {
            ObjectNode o = ms.addObject();
            o.put("label", m.label());
            o.put("tMs", round(m.tAfterMs()));
            o.put("resident", m.resident());
            o.put("rss", m.rss());
            o.put("syscalls", m.syscalls());
            o.put("returnedBytes", m.returnedBytes());
        }
        if (sampler != null) {
            ArrayNode series = out.putArray("series");
            for (Sampler.Sample s : sampler.samples()) {
                series.addArray().add(round(s.tMs())).add(s.resident()).add(s.rss());
            }
        }
        return out;
    }

    /** The simulated OS's parameters as JSON. */
    public static ObjectNode simJson(SimConfig sim) {
        ObjectNode o = Json.object();
        o.put("syscallNanos", sim.syscallNanos());
        o.put("faultNanos", sim.faultNanos());
        o.put("opNanos", sim.opNanos());
        o.put("memoryBytes", sim.memoryBytes());
        return o;
    }

    /** An exception and its causes, one line. */
    public static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (sb.length() > 0) {
                sb.append(" <- caused by ");
            }
            sb.append(c.getClass().getSimpleName());
            if (c.getMessage() != null) {
                sb.append(": ").append(c.getMessage());
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return sb.toString();
    }

    static double round(double ms) {
        return Math.round(ms * 10) / 10.0;
    }

    static Mark mark(String label, Subject s, Sampler sampler, long origin) {
        boolean simulated = s.simClock() != null;
        double before = (sampler.now() - origin) / 1e6;
        Sampler.Sample sample = sampler.sampleNow();
        AllocatorStats stats = s.stats();
        long sys = syscalls(stats);
        long returned = sum(stats, RETURN_COUNTERS);
        long gcCount = 0;
        long gcMillis = 0;
        for (GarbageCollectorMXBean gc : simulated ? List.<GarbageCollectorMXBean>of() : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcCount += Math.max(0, gc.getCollectionCount());
            gcMillis += Math.max(0, gc.getCollectionTime());
        }
        double after = (sampler.now() - origin) / 1e6;
        return new Mark(label, before, after, sample.resident(), sample.rss(), sys, returned, gcCount, gcMillis);
    }

    /** mmap + munmap + madvise calls so far, or -1 without stats. */
    public static long syscalls(AllocatorStats stats) {
        return sum(stats, SYSCALL_COUNTERS);
    }

    /** The sum of some stats counters, or -1 without stats. */
    static long sum(AllocatorStats stats, List<String> counters) {
        if (stats == null) {
            return -1;
        }
        long sum = 0;
        for (String c : counters) {
            try {
                sum += stats.counter(c);
            } catch (NoSuchElementException e) {
                // a core without this counter: it makes no such call
            }
        }
        return sum;
    }

    static Mark find(List<Mark> marks, String label) {
        for (Mark m : marks) {
            if (m.label().equals(label)) {
                return m;
            }
        }
        throw new IllegalStateException("the workload never marked '" + label + "'");
    }

    /**
     * The most address space the allocator had mapped at once over the run (its {@code mapped_bytes} gauge's peak):
     * resident counts only the pages a program touched, and the reference loops touch two bytes per block, so for
     * blocks of many pages this is the footprint a program that fills its blocks would see. Null without stats.
     */
    static void mappedPeak(ObjectNode out, AllocatorStats end) {
        peakOf(out, end, "mapped_bytes", "allocPeakMappedBytes");
        peakOf(out, end, "metadata_bytes", "allocPeakMetadataBytes");
    }

    /**
     * The peak of a count as {@code key}, or null without stats or without the count. {@code metadata_bytes} is the
     * Java-heap bytes of the allocator's bookkeeping: beside its resident bytes, it is the allocator's whole footprint.
     */
    private static void peakOf(ObjectNode out, AllocatorStats end, String count, String key) {
        try {
            if (end != null) {
                out.put(key, end.count(count).peak());
                return;
            }
        } catch (NoSuchElementException e) {
            // a core without the gauge
        }
        out.putNull(key);
    }

    /** Derives the run's figures from the outcome, the marks and the samples. */
    static void figures(ObjectNode out, Outcome o, List<Mark> marks, List<Sampler.Sample> samples, boolean hakmem) {
        Mark start = find(marks, Meter.TIMED_START);
        Mark end = find(marks, Meter.TIMED_END);
        // the timed window opens after the start mark's sampling and closes before the end mark's
        double seconds = (end.tBeforeMs() - start.tAfterMs()) / 1e3 - o.idleNanos() / 1e9;
        out.put("timedOps", o.timedOps());
        out.put("seconds", seconds);
        out.put("opsPerSec", o.timedOps() / seconds);
        out.put("checks", o.checks());
        out.put("rngFinal", String.format("0x%016x", o.rngFinal()));
        out.put("rngExpected", String.format("0x%016x", o.rngExpected()));
        out.put("gcCount", end.gcCount() - start.gcCount());
        out.put("gcMillis", end.gcMillis() - start.gcMillis());
        out.put("rssEndBytes", end.rss());
        // the JVM's own footprint before the workload allocated anything: what peak RSS is read against for peers
        out.put("rssBaselineBytes", find(marks, "open").rss());
        if (o.livePeakBytes() >= 0) {
            out.put("liveEndBytes", o.liveEndBytes());
            out.put("livePeakBytes", o.livePeakBytes());
        } else {
            out.putNull("liveEndBytes");
            out.putNull("livePeakBytes");
        }
        if (hakmem) {
            long peak = -1;
            for (Mark m : marks) {
                peak = Math.max(peak, m.resident());
            }
            for (Sampler.Sample s : samples) {
                peak = Math.max(peak, s.resident());
            }
            out.put("allocPeakResidentBytes", peak);
            out.put("allocEndResidentBytes", end.resident());
            out.put("allocAfterFreeResidentBytes", find(marks, "freed").resident());
            long sys = end.syscalls() - start.syscalls();
            out.put("syscallsTimed", sys);
            out.put("syscallsPerOp", (double) sys / o.timedOps());
            out.put("syscallsTotal", find(marks, "freed").syscalls());
            double[] drift = drift(start, end, samples);
            out.put("residentDrift", drift[0]);
            out.put("residentDriftBytes", (long) drift[1]);
        } else {
            out.putNull("allocPeakResidentBytes");
            out.putNull("allocEndResidentBytes");
            out.putNull("allocAfterFreeResidentBytes");
            out.putNull("syscallsPerOp");
            out.putNull("residentDrift");
        }
        ObjectNode extra = out.putObject("extra");
        Json.putAll(extra, o.extra());
    }

    /**
     * Allocator resident drift over the timed window: the mean of the samples in its last tenth against the mean
     * in its first tenth (the marks themselves when the window holds no samples): {fraction of the start, bytes}.
     */
    static double[] drift(Mark start, Mark end, List<Sampler.Sample> samples) {
        double t0 = start.tAfterMs();
        double t1 = end.tBeforeMs();
        double tenth = (t1 - t0) / 10;
        double a = mean(samples, t0, t0 + tenth, start.resident());
        double b = mean(samples, t1 - tenth, t1, end.resident());
        return new double[] {a <= 0 ? 0 : (b - a) / a, b - a};
    }

    private static double mean(List<Sampler.Sample> samples, double from, double to, long fallback) {
        double sum = 0;
        int n = 0;
        for (Sampler.Sample s : samples) {
            if (s.tMs() >= from && s.tMs() <= to && s.resident() >= 0) {
                sum += s.resident();
                n++;
            }
        }
        return n == 0 ? fallback : sum / n;
    }
}
