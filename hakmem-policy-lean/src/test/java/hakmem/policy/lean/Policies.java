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

    static LeanPolicy lean(Map<String, String> options) {
        return (LeanPolicy) build(new LeanPlugin(), options);
    }

    static LeanPolicy balanced(Map<String, String> options) {
        return (LeanPolicy) build(new BalancedPlugin(), options);
    }

    static FakeReleaseHandle handle() {
        return new FakeReleaseHandle(LeanOptions.COUNTERS);
    }
}
