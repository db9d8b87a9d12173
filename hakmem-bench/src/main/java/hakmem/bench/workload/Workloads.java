package hakmem.bench.workload;

import java.util.List;

/** The workloads, by id. */
public final class Workloads {
    private Workloads() {
    }

    public static List<Workload> all() {
        return List.of(Mixed.mixed(), Mixed.medium(), Mixed.large(), new Burst(), new Remote(), new Larson(), new Churn());
    }

    public static List<String> ids() {
        return all().stream().map(Workload::id).toList();
    }

    /** The prefix of a trace replay's id: {@code trace:FILE}. */
    public static final String TRACE = "trace:";

    /**
     * A workload by id, or a trace replay for {@code trace:FILE} with its time mode and (simulated OS) cost per call.
     */
    public static Workload byId(String id, TimeMode time, long simOpNanos) {
        if (id.startsWith(TRACE)) {
            String file = id.substring(TRACE.length());
            if (file.isBlank()) {
                throw new IllegalArgumentException("workload 'trace:' needs a file: trace:FILE");
            }
            return new TraceReplay(java.nio.file.Path.of(file), time, simOpNanos);
        }
        if (time != TimeMode.REAL) {
            throw new IllegalArgumentException("--time " + time.text() + " applies to trace workloads (trace:FILE) only, not to " + id);
        }
        return byId(id);
    }

    public static Workload byId(String id) {
        if (id.startsWith(TRACE)) {
            return byId(id, TimeMode.REAL, hakmem.bench.sim.SimConfig.DEFAULT.opNanos());
        }
        for (Workload w : all()) {
            if (w.id().equals(id)) {
                return w;
            }
        }
        throw new IllegalArgumentException("workload '" + id + "' not found; workloads: " + ids());
    }
}
