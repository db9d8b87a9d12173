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

    public static Workload byId(String id) {
        for (Workload w : all()) {
            if (w.id().equals(id)) {
                return w;
            }
        }
        throw new IllegalArgumentException("workload '" + id + "' not found; workloads: " + ids());
    }
}
