package hakmem.api.spi;

import java.util.Optional;

/**
 * The env gate's source of raw option text. The default reads JVM system properties and environment variables;
 * tests bind a map-backed one. Precedence and parsing are the core's job, not the source's.
 */
public interface OptionSource {

    /** The system property {@code key} (e.g. {@code hakmem.policy}), if set. */
    Optional<String> property(String key);

    /** The environment variable {@code name} (e.g. {@code HAKMEM_POLICY}), if set. */
    Optional<String> env(String name);
}
