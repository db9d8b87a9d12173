package hakmem.policy.lean;

import hakmem.api.spi.OptionSpec;
import hakmem.api.spi.PolicyPlugin;
import hakmem.testkit.FakeReleaseHandle;
import java.util.List;
import java.util.Map;

/** Builds the lean-family policies the way the core does, through the test kit. */
final class Policies {

    /** The core's {@code ss.mem.lean.*} rows the lean policies read (declared by the core, not the plugins). */
    static final List<OptionSpec> CORE = List.of(
            new OptionSpec(LeanOptions.TARGET, OptionSpec.Type.SIZE, "10", "M", "", List.of(), "target"),
            new OptionSpec(LeanOptions.DECOMMIT, OptionSpec.Type.CHOICE, "DONTNEED", "mode", "",
                    List.of("FREE", "DONTNEED", "OFF"), "decommit"),
            new OptionSpec(LeanOptions.DELAY, OptionSpec.Type.NUMBER, "0", "ms", "", List.of(), "delay"));

    private Policies() {
    }

    static hakmem.api.spi.ReleasePolicy build(PolicyPlugin plugin, Map<String, String> options) {
        return hakmem.testkit.Policies.build(plugin, CORE, options);
    }

    /**
     * A lean policy for the decision tests: they were written for one kept slab per class, so that is pinned here
     * unless a test sets it; the plugin's own default (8) is checked in LeanPluginTest.
     */
    static LeanPolicy lean(Map<String, String> options) {
        Map<String, String> pinned = new java.util.HashMap<>(options);
        pinned.putIfAbsent(LeanOptions.KEEP_SLABS, "1");
        return (LeanPolicy) build(new LeanPlugin(), pinned);
    }

    static LeanPolicy balanced(Map<String, String> options) {
        return (LeanPolicy) build(new BalancedPlugin(), options);
    }

    static FakeReleaseHandle handle() {
        return new FakeReleaseHandle(LeanOptions.COUNTERS);
    }
}
