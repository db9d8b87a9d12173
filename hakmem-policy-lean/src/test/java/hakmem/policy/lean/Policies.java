package hakmem.policy.lean;

import com.google.inject.Guice;
import hakmem.api.spi.OptionValues;
import hakmem.api.spi.PolicyPlugin;
import hakmem.api.spi.ReleasePolicy;
import java.util.Map;

/** Builds a plugin's policy the way the core does: one injector from the plugin's module and the option values. */
final class Policies {

    private Policies() {
    }

    static ReleasePolicy build(PolicyPlugin plugin, Map<String, String> options) {
        OptionValues values = new FakeOptionValues(plugin.options(), options);
        return Guice.createInjector(plugin.module(), binder -> binder.bind(OptionValues.class).toInstance(values))
                .getInstance(ReleasePolicy.class);
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
