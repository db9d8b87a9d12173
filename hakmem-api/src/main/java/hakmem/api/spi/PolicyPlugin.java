package hakmem.api.spi;

import com.google.inject.Module;
import java.util.List;

/**
 * A release policy's entry point, discovered with {@link java.util.ServiceLoader}: declare it in the policy's
 * {@code module-info.java} ({@code provides hakmem.api.spi.PolicyPlugin with ...}) and in
 * {@code META-INF/services/hakmem.api.spi.PolicyPlugin} so that it is found on the class path too.
 *
 * <p>The core picks one plugin by id before it builds its injector, then builds one injector from its own box
 * modules plus {@link #module()}. Ids must be unique among the plugins found.
 */
public interface PolicyPlugin {

    /** The id users select the policy with ({@code -Dhakmem.policy=<id>}): lower case, {@code [a-z0-9-]+}. */
    String id();

    /** One line on what the policy does, shown by {@code hakmem list}. */
    String description();

    /**
     * The Guice module that binds {@link ReleasePolicy} (and anything the policy needs, e.g. its own typed config
     * built from {@link OptionValues}). It must be side-effect free and contain no conditional logic.
     */
    Module module();

    /**
     * Options this policy declares, merged into the one option table (name clashes with the core's options or
     * another plugin's are an error). Values are read through an injected {@link OptionValues}.
     */
    default List<OptionSpec> options() {
        return List.of();
    }

    /** Names of extra monotonic counters the policy bumps with {@link ReleaseHandle#count}. */
    default List<String> counters() {
        return List.of();
    }
}
