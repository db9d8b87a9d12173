package hakmem.bench;

import hakmem.api.Hakmem;
import hakmem.api.OptionValue;
import hakmem.api.PolicyInfo;
import hakmem.bench.run.PluginPath;
import hakmem.bench.subject.Subjects;
import hakmem.bench.workload.Workload;
import hakmem.bench.workload.Workloads;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;

/** What this installation has: policies (with their modules), the effective options, workloads and peers. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the policies found (id, module, description, and the jar or directory each came from), "
                + "the plugin path, the effective option table with each option's description, the workloads, and the "
                + "peers with whether each is available here.")
final class ListCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        PrintStream out = System.out;
        out.println("Policies (hakmem.api.spi.PolicyPlugin, found with ServiceLoader):");
        int code = 0;
        try {
            List<PolicyInfo> ps = Subjects.policies();
            if (ps.isEmpty()) {
                out.println("  none found");
            }
            for (PolicyInfo p : ps) {
                out.printf("  %-12s %-24s %s%n", p.id(), p.module(), p.description());
                Origins.location(p.module()).ifPresent(l -> out.printf("  %-12s %-24s from %s%n", "", "", l));
            }
            for (String m : Origins.withoutPolicyProvider()) {
                out.println("  WARNING: module " + m + " requires hakmem.api but provides no policy: if it holds one, "
                        + "add `provides hakmem.api.spi.PolicyPlugin with <its PolicyPlugin class>;` to its module-info.java");
            }
            List<Path> plugins = PluginPath.fromEnvironment();
            out.println("  plugin path (--plugin-path, " + PluginPath.ENV + "): "
                    + (plugins.isEmpty() ? "none" : plugins.stream().map(Path::toString).collect(Collectors.joining(":"))));
        } catch (RuntimeException e) {
            out.println("  unavailable: " + e.getMessage());
            code = 1;
        }
        out.println();
        out.println("Options (system property -Dhakmem.<name> beats env HAKMEM_<NAME> beats the default):");
        try {
            List<OptionValue> os = Subjects.options();
            out.printf("  %-26s %-12s %-28s %-10s %s%n", "name", "value", "source", "default", "accepted / unit");
            for (OptionValue o : os) {
                String acc = !o.accepted().isEmpty() ? String.join("|", o.accepted())
                        : o.range().isEmpty() ? o.unit() : o.range() + " " + o.unit();
                out.printf("  %-26s %-12s %-28s %-10s %s%n", o.name(), o.value(), o.source(), o.defaultValue(), acc);
                out.printf("      %s [%s]%n", o.description(), o.owner());
            }
            // misspelled hakmem.*/HAKMEM_* names, other policies' bad values: what open logs as a warning
            for (String w : Hakmem.optionWarnings()) {
                out.println("  warning: " + w);
            }
        } catch (RuntimeException e) {
            out.println("  unavailable: " + e.getMessage());
            code = 1;
        }
        out.println();
        out.println("Workloads:");
        for (Workload w : Workloads.all()) {
            out.printf("  %-8s %s%n", w.id(), w.description());
        }
        out.printf("  %-8s %s%n", "trace:FILE", "replays a recorded allocation trace (record one with -Dhakmem.trace=FILE or "
                + "./hakmem record; shipped: hakmem-bench/traces/); --time real|compress|scale=X, --os sim");
        out.println();
        out.println("Peers (--peers):");
        for (String id : Subjects.PEERS) {
            Subjects.Availability a = Subjects.availability(id);
            out.printf("  %-13s %-13s %s%n", id, a.available() ? "available" : "UNAVAILABLE", a.detail());
            if (!a.available() && !a.install().isEmpty()) {
                out.printf("  %-13s %-13s install: %s%n", "", "", a.install());
            }
        }
        return code;
    }
}
