package hakmem.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import hakmem.bench.run.Json;
import hakmem.bench.run.Runner;
import hakmem.bench.sim.SimConfig;
import hakmem.bench.workload.Workload;
import hakmem.bench.workload.Workloads;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** One subject, one workload, one run, in this JVM; the result is one JSON line on standard output. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run one subject on one workload once and print the result as ONE JSON line on stdout.",
            "This is what compare forks; exit code 0 if the run and its checks passed, 3 if not.",
            "Needs --enable-native-access=hakmem.core,hakmem.bench (compare passes it to its forks)."})
final class RunCommand implements Callable<Integer> {
    @Option(names = "--subject", required = true, description = "a hakmem policy id or a peer (see list)")
    String subject;

    @Option(names = "--workload", defaultValue = "mixed", description = "mixed, medium, large, burst, remote, larson, churn or trace:FILE (default ${DEFAULT-VALUE})")
    String workload;

    @Mixin
    WorkloadOptions counts;

    @Mixin
    OsOptions osOptions;

    @Option(names = "--sample-ms", defaultValue = "20", description = "resident sampling period in ms, 0 = marks only (default ${DEFAULT-VALUE})")
    long sampleMs;

    @Option(names = "--progress", description = "also print 'progress <0..1>' lines on stdout (for compare)")
    boolean progress;

    @Override
    public Integer call() {
        SimConfig sim = osOptions.resolve();
        Workload w = Workloads.byId(workload, counts.timeMode(), OsOptions.opNanos(sim));
        double[] last = {0};
        ObjectNode result = Runner.run(subject, w, counts.resolve(w), sampleMs, sim, f -> {
            if (progress && f - last[0] >= 0.05) {
                last[0] = f;
                System.out.println(String.format(Locale.ROOT, "progress %.3f", f));
                System.out.flush();
            }
        });
        System.out.println(Json.line(result));
        System.out.flush();
        return result.path("ok").asBoolean(false) ? 0 : 3;
    }
}
