package hakmem.core.policy;

import hakmem.api.spi.OptionSource;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** System properties and environment variables from maps: tests never read or change the real ones. */
record MapOptionSource(Map<String, String> properties, Map<String, String> env) implements OptionSource {

    static final MapOptionSource EMPTY = new MapOptionSource(Map.of(), Map.of());

    MapOptionSource {
        properties = Map.copyOf(properties);
        env = Map.copyOf(env);
    }

    static MapOptionSource env(Map<String, String> env) {
        return new MapOptionSource(Map.of(), env);
    }

    static MapOptionSource properties(Map<String, String> properties) {
        return new MapOptionSource(properties, Map.of());
    }

    @Override
    public Optional<String> property(String key) {
        return Optional.ofNullable(properties.get(key));
    }

    @Override
    public Optional<String> env(String name) {
        return Optional.ofNullable(env.get(name));
    }

    @Override
    public Set<String> propertyNames() {
        return properties.keySet();
    }

    @Override
    public Set<String> envNames() {
        return env.keySet();
    }
}
