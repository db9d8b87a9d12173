package hakmem.core.option;

import hakmem.api.spi.OptionSource;
import java.util.Optional;
import java.util.Set;

/** The default env gate source: JVM system properties and the process environment. */
public final class SystemOptionSource implements OptionSource {

    @Override
    public Optional<String> property(String key) {
        return Optional.ofNullable(System.getProperty(key));
    }

    @Override
    public Optional<String> env(String name) {
        return Optional.ofNullable(System.getenv(name));
    }

    @Override
    public Set<String> propertyNames() {
        return System.getProperties().stringPropertyNames();
    }

    @Override
    public Set<String> envNames() {
        return Set.copyOf(System.getenv().keySet());
    }
}
