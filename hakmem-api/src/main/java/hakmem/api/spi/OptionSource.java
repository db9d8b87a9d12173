package hakmem.api.spi;

import java.util.Optional;
import java.util.Set;

/**
 * The env gate's source of raw option text. The default reads JVM system properties and environment variables;
 * tests bind a map-backed one. Precedence and parsing are the core's job, not the source's.
 */
public interface OptionSource {

    /** The system property {@code key} (e.g. {@code hakmem.policy}), if set. */
    Optional<String> property(String key);

    /** The environment variable {@code name} (e.g. {@code HAKMEM_POLICY}), if set. */
    Optional<String> env(String name);

    /**
     * Every system property name this source knows, so that the core can warn about a {@code hakmem.*} property
     * that names no option. A source that cannot list them returns none (no warnings).
     */
    default Set<String> propertyNames() {
        return Set.of();
    }

    /** Every environment variable name this source knows (for the {@code HAKMEM_*} warnings); none by default. */
    default Set<String> envNames() {
        return Set.of();
    }
}
