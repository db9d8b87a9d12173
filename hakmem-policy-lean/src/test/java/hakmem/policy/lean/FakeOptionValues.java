package hakmem.policy.lean;

import hakmem.api.spi.OptionSpec;
import hakmem.api.spi.OptionValues;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Option values as the core would hand them to a policy: the core's {@code ss.mem.lean.*} rows plus the plugin's
 * own, defaults overridden by {@code set}. Reading an undeclared name fails, as it does in the core. Unlike the core,
 * it checks no value against its range and keeps empty values: the policy's own guards are what these tests test.
 */
final class FakeOptionValues implements OptionValues {

    static final List<OptionSpec> CORE = List.of(
            new OptionSpec(LeanOptions.TARGET, OptionSpec.Type.SIZE, "10", "M", "", List.of(), "target")
                    .withRange(0, LeanOptions.MAX_TARGET_BYTES),
            new OptionSpec(LeanOptions.DECOMMIT, OptionSpec.Type.CHOICE, "DONTNEED", "", "",
                    List.of("FREE", "DONTNEED", "OFF"), "decommit"),
            new OptionSpec(LeanOptions.DELAY, OptionSpec.Type.NUMBER, "0", "ms", "", List.of(), "delay")
                    .withRange(0, LeanOptions.MAX_MILLIS));

    private final Map<String, OptionSpec> specs = new HashMap<>();
    private final Map<String, String> set;

    FakeOptionValues(List<OptionSpec> pluginOptions, Map<String, String> set) {
        CORE.forEach(s -> specs.put(s.name(), s));
        pluginOptions.forEach(s -> specs.put(s.name(), s));
        this.set = Map.copyOf(set);
        set.keySet().forEach(this::spec);
    }

    private OptionSpec spec(String name) {
        OptionSpec s = specs.get(name);
        if (s == null) {
            throw new IllegalArgumentException("undeclared option '" + name + "'");
        }
        return s;
    }

    private OptionSpec spec(String name, OptionSpec.Type type) {
        OptionSpec s = spec(name);
        if (s.type() != type) {
            throw new IllegalArgumentException(name + " is " + s.type() + ", not " + type);
        }
        return s;
    }

    @Override
    public String text(String name) {
        return set.getOrDefault(name, spec(name).defaultValue());
    }

    @Override
    public boolean flag(String name) {
        spec(name, OptionSpec.Type.BOOLEAN);
        return List.of("1", "true", "on", "yes").contains(text(name).toLowerCase(Locale.ROOT));
    }

    @Override
    public long number(String name) {
        spec(name, OptionSpec.Type.NUMBER);
        return Long.parseLong(text(name));
    }

    @Override
    public long bytes(String name) {
        OptionSpec s = spec(name, OptionSpec.Type.SIZE);
        long unit = switch (s.unit()) {
            case "K" -> 1L << 10;
            case "M" -> 1L << 20;
            case "G" -> 1L << 30;
            default -> 1;
        };
        return Long.parseLong(text(name)) * unit;
    }

    @Override
    public String choice(String name) {
        spec(name, OptionSpec.Type.CHOICE);
        return text(name).toUpperCase(Locale.ROOT);
    }

    @Override
    public boolean isSet(String name) {
        spec(name);
        return set.containsKey(name);
    }
}
