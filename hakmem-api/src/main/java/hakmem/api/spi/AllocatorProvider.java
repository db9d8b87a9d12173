package hakmem.api.spi;

import com.google.inject.Module;
import hakmem.api.Allocator;
import hakmem.api.OptionValue;
import hakmem.api.PolicyInfo;
import java.util.List;
import java.util.Map;

/**
 * The implementation of {@link hakmem.api.Hakmem}, provided by {@code hakmem.core} and found with
 * {@link java.util.ServiceLoader}. Researchers and tests may call it directly to replace boxes.
 */
public interface AllocatorProvider {

    /**
     * Opens an allocator.
     *
     * @param policyId  the policy id, or {@code null} to take it from configuration
     * @param options   option values that beat system properties and environment variables
     * @param overrides Guice modules whose bindings replace the core's (e.g. a fault-injecting {@link OsBox})
     * @throws IllegalArgumentException for an unknown policy id or an invalid option value
     */
    Allocator open(String policyId, Map<String, String> options, List<Module> overrides);

    /** Every policy plugin found, sorted by id. */
    List<PolicyInfo> policies();

    /** The effective option table, given explicit option values that beat configuration. */
    List<OptionValue> options(Map<String, String> options);

    /**
     * What {@code open(null, options)} would warn about, one line each: a {@code hakmem.*} system property or a
     * {@code HAKMEM_*} environment variable that names no option, with the closest option name
     * ({@code unknown option -Dhakmem.ss.mem.lean.dealy.ms; did you mean ss.mem.lean.delay.ms?}), and a bad value of
     * an option of a policy other than the one configuration chooses (ignored). Empty by default, for providers that
     * do not check names.
     */
    default List<String> optionWarnings(Map<String, String> options) {
        return List.of();
    }

    /**
     * The option rows the implementation itself declares (the plugins' come from {@link PolicyPlugin#options()}).
     * A policy may read these too (the lean policies read {@code ss.mem.lean.*}); the test kit's contract checks
     * take them so that such a policy can be built outside the core. Default: none.
     */
    default List<OptionSpec> coreOptions() {
        return List.of();
    }

    /** Convenience: the single provider on the module path. */
    static AllocatorProvider load() {
        return java.util.ServiceLoader.load(AllocatorProvider.class, AllocatorProvider.class.getClassLoader())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "no hakmem implementation found: put the hakmem-core jar on the module path"));
    }
}
