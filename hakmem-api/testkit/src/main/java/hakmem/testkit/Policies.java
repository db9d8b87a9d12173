package hakmem.testkit;

import com.google.inject.Guice;
import hakmem.api.spi.OptionSpec;
import hakmem.api.spi.OptionValues;
import hakmem.api.spi.PolicyPlugin;
import hakmem.api.spi.ReleasePolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds a plugin's {@link ReleasePolicy} the way the core does: one Guice injector from the plugin's
 * {@code module()} with {@link OptionValues} bound, and nothing else. A policy that injects anything more (an
 * {@code OsBox}, say) fails to build here, as it should: its decisions must go through the handle.
 */
public final class Policies {

    static {
        // as the core does: Guice's generated fast-classes cannot reach packages that are only opened to Guice
        if (System.getProperty("guice_bytecode_gen_option") == null) {
            System.setProperty("guice_bytecode_gen_option", "DISABLED");
        }
    }

    private Policies() {
    }

    /**
     * The policy with these option values.
     *
     * @throws com.google.inject.CreationException   if the module is wrong (e.g. binds no ReleasePolicy)
     * @throws com.google.inject.ProvisionException if building it failed, e.g. it rejected an option value
     */
    public static ReleasePolicy build(PolicyPlugin plugin, OptionValues options) {
        return Guice.createInjector(plugin.module(), binder -> binder.bind(OptionValues.class).toInstance(options))
                .getInstance(ReleasePolicy.class);
    }

    /**
     * The policy with the plugin's declared options (and {@code coreOptions}, for core options it reads), set to
     * their defaults except for {@code set}.
     */
    public static ReleasePolicy build(PolicyPlugin plugin, List<OptionSpec> coreOptions, Map<String, String> set) {
        List<OptionSpec> all = new ArrayList<>(coreOptions);
        all.addAll(plugin.options());
        return build(plugin, new FakeOptionValues(all, set));
    }

    /** The policy with the plugin's declared options set to their defaults except for {@code set}. */
    public static ReleasePolicy build(PolicyPlugin plugin, Map<String, String> set) {
        return build(plugin, List.of(), set);
    }
}
