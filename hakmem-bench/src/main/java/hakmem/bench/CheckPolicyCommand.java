package hakmem.bench;

import hakmem.api.spi.AllocatorProvider;
import hakmem.api.spi.OptionSpec;
import hakmem.api.spi.PolicyPlugin;
import hakmem.testkit.CheckResult;
import hakmem.testkit.PolicyContract;
import java.io.PrintStream;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code check-policy ID}: the test kit's contract checks ({@link PolicyContract}) against one policy plugin found
 * here, built in or on the plugin path. Each check is printed with PASS or FAIL and its reason; the exit code is 1
 * if any failed, 2 if the policy was not found.
 */
@Command(name = "check-policy", mixinStandardHelpOptions = true,
        description = {"Run the release-policy contract checks (the test kit's PolicyContract, against a fake handle) "
                + "on one policy found here: built in, or a jar given with ./hakmem --plugin-path. Prints each check "
                + "with PASS or FAIL and the reason.",
            "Exit code: 0 all passed, 1 a check failed, 2 the policy was not found."})
final class CheckPolicyCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "ID", description = "the policy id, as `list` shows it")
    String id;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        List<PolicyPlugin> all;
        try {
            all = ServiceLoader.load(PolicyPlugin.class).stream().map(ServiceLoader.Provider::get).toList();
        } catch (ServiceConfigurationError e) {
            System.err.println("hakmem check-policy: a policy plugin failed to load: " + e.getMessage());
            return 2;
        }
        List<PolicyPlugin> matches = all.stream().filter(p -> id.equals(safeId(p))).toList();
        if (matches.isEmpty()) {
            System.err.println("hakmem check-policy: no policy '" + id + "' found; policies found: "
                    + all.stream().map(p -> safeId(p) + " (" + p.getClass().getModule().getName() + ")").sorted().collect(Collectors.joining(", "))
                    + ". " + (Origins.withoutPolicyProvider().isEmpty()
                    ? "Put its jar on the module path: ./hakmem --plugin-path path/to/policy.jar check-policy " + id
                    : "On the module path but providing no policy: " + String.join(", ", Origins.withoutPolicyProvider())
                            + ". If the policy is there, add `provides hakmem.api.spi.PolicyPlugin with <its PolicyPlugin "
                            + "class>;` to its module-info.java (a named module's META-INF/services is ignored)."));
            return 2;
        }
        if (matches.size() > 1) {
            System.err.println("hakmem check-policy: " + matches.size() + " plugins have the id '" + id + "': "
                    + matches.stream().map(CheckPolicyCommand::origin).toList() + ". Remove one of the jars.");
            return 2;
        }
        PolicyPlugin plugin = matches.getFirst();
        out.println("check-policy " + id + ": " + origin(plugin) + ", the test kit's contract checks against a fake handle");
        List<CheckResult> results = PolicyContract.of(plugin).withCoreOptions(coreOptions()).run();
        int width = PolicyContract.CHECKS.stream().mapToInt(String::length).max().orElse(0);
        for (CheckResult r : results) {
            out.printf("  %s  %-" + width + "s  %s%n", r.passed() ? "PASS" : "FAIL", r.check(), r.reason());
        }
        List<String> failed = results.stream().filter(r -> !r.passed()).map(CheckResult::check).toList();
        out.println(failed.isEmpty()
                ? results.size() + " checks passed. What needs the real core (no live block released, stats consistent, "
                        + "close unmaps everything) is checked by hakmem-core's ReleasePolicyContractTest; try "
                        + "`./hakmem run --subject " + id + " --workload burst --quick` too."
                : failed.size() + " of " + results.size() + " checks FAILED: " + String.join(", ", failed));
        return failed.isEmpty() ? 0 : 1;
    }

    /** The core's own options (a policy may read them), or none if no core is here. */
    private static List<OptionSpec> coreOptions() {
        try {
            return AllocatorProvider.load().coreOptions();
        } catch (RuntimeException | LinkageError e) {
            return List.of();
        }
    }

    private static String safeId(PolicyPlugin p) {
        try {
            return p.id();
        } catch (RuntimeException e) {
            return "(id() threw " + e + ")";
        }
    }

    /** {@code module hakmem.policy.hyst (/tmp/hyst.jar)} or the class path jar. */
    static String origin(PolicyPlugin p) {
        Module m = p.getClass().getModule();
        if (!m.isNamed()) {
            var cs = p.getClass().getProtectionDomain().getCodeSource();
            return "class path" + (cs == null || cs.getLocation() == null ? "" : " (" + cs.getLocation().getPath() + ")");
        }
        return "module " + m.getName() + Origins.location(m.getName()).map(l -> " (" + l + ")").orElse("");
    }
}
