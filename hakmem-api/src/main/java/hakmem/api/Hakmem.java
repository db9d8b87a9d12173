package hakmem.api;

import hakmem.api.spi.AllocatorProvider;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Entry point: opens allocators. The implementation ({@code hakmem.core}) and the policy jars are found on the
 * module path (or class path) with {@link ServiceLoader}; users only {@code requires hakmem.api}.
 *
 * <p>Configuration comes from one option table (see {@link #options()}): a JVM system property
 * {@code -Dhakmem.<name>} beats the environment variable {@code HAKMEM_<NAME>}, which beats the default.
 * An empty value counts as unset. An invalid value (a number or size outside its range included) makes {@code open}
 * throw {@link IllegalArgumentException} naming the option, the value, its source and the accepted values, unless
 * the option belongs to a policy that is not the one opened: then it is only a warning. A {@code hakmem.*} property
 * or {@code HAKMEM_*} variable that names no option is a warning too (see {@link #optionWarnings()}); warnings are
 * logged once per open to the {@link System.Logger} {@code hakmem}. An unknown policy id throws
 * {@link IllegalArgumentException} listing the policies found.
 */
public final class Hakmem {

    private Hakmem() {
    }

    /** Opens an allocator with the policy chosen by configuration ({@code hakmem.policy}, default balanced). */
    public static Allocator open() {
        return provider().open(null, Map.of(), List.of());
    }

    /** Opens an allocator with the given release policy id. */
    public static Allocator open(String policyId) {
        if (policyId == null || policyId.isBlank()) {
            throw new IllegalArgumentException("policy id must not be null or blank: '" + policyId + "'");
        }
        return provider().open(policyId, Map.of(), List.of());
    }

    /**
     * Opens an allocator with the given policy (null: from configuration) and option values that beat system
     * properties and environment variables (keys are option names such as {@code "ss.mem.lean.decommit"}).
     */
    public static Allocator open(String policyId, Map<String, String> options) {
        return provider().open(policyId, Map.copyOf(options), List.of());
    }

    /** Every release policy found, with the module each came from. */
    public static List<PolicyInfo> policies() {
        return provider().policies();
    }

    /** The effective option table as configuration gives it now (system properties, environment, defaults). */
    public static List<OptionValue> options() {
        return provider().options(Map.of());
    }

    /**
     * What {@link #open()} would log as warnings now, one line each: every {@code hakmem.*} system property and
     * {@code HAKMEM_*} environment variable that names no option, with the closest option name, and every bad value
     * of an option that belongs to a policy other than the chosen one (ignored). Empty when all is well.
     */
    public static List<String> optionWarnings() {
        return provider().optionWarnings(Map.of());
    }

    private static volatile AllocatorProvider provider;

    /** Finds the implementation; if none is found, every call says so (no half-initialized class). */
    private static AllocatorProvider provider() {
        AllocatorProvider p = provider;
        if (p != null) {
            return p;
        }
        List<AllocatorProvider> found = ServiceLoader.load(AllocatorProvider.class, Hakmem.class.getClassLoader())
                .stream().map(ServiceLoader.Provider::get).toList();
        if (found.isEmpty()) {
            throw new IllegalStateException(
                    "no hakmem implementation found: put the hakmem-core jar on the module path (or class path)");
        }
        if (found.size() > 1) {
            throw new IllegalStateException("more than one hakmem implementation found: "
                    + found.stream().map(x -> x.getClass().getName()).toList());
        }
        provider = found.getFirst();
        return provider;
    }
}
