package hakmem.bench;

import hakmem.bench.workload.Params;
import hakmem.bench.workload.TimeMode;
import hakmem.bench.workload.Workload;
import picocli.CommandLine.Option;

/** Workload counts shared by run and compare; unset options take the workload's defaults. */
final class WorkloadOptions {
    @Option(names = "--ops", description = "timed ops per thread (mixed, larson), per producer (remote), in total (burst, churn)")
    Long ops;

    @Option(names = "--warmup", description = "warm-up ops before timing")
    Long warmup;

    @Option(names = "--threads", description = "worker threads (mixed default 1; remote, larson, churn default 2)")
    Integer threads;

    @Option(names = "--ws", description = "working set: slots per table (mixed, burst, churn default 400; medium 100; large 20; larson 1000)")
    Integer ws;

    @Option(names = "--quick", description = "small counts, 3 runs: a whole default compare in under 30 s")
    boolean quick;

    @Option(names = "--burst-mb", description = "burst: MiB allocated at the top of each burst (default 64, quick 16)")
    Integer burstMb;

    @Option(names = "--idle-ms", description = "burst: idle time after each burst in ms (default 2000, quick 300)")
    Integer idleMs;

    @Option(names = "--cycles", description = "burst: bursts per run (default 2, quick 1)")
    Integer cycles;

    @Option(names = "--time", defaultValue = "real", description = "trace workloads: real (keep the recorded idle gaps), "
            + "compress (drop them) or scale=X (multiply recorded times by X) (default ${DEFAULT-VALUE})")
    String time;

    TimeMode timeMode() {
        return TimeMode.parse(time);
    }

    Params resolve(Workload w) {
        Params.Builder p = w.defaults(quick).toBuilder();
        if (ops != null) {
            p.ops(ops);
        }
        if (warmup != null) {
            p.warmup(warmup);
        }
        if (threads != null) {
            p.threads(threads);
        }
        if (ws != null) {
            p.ws(ws);
        }
        if (burstMb != null) {
            p.burstMb(burstMb);
        }
        if (idleMs != null) {
            p.idleMs(idleMs);
        }
        if (cycles != null) {
            p.cycles(cycles);
        }
        return p.build();
    }
}
