package hakmem.testkit;

import hakmem.api.spi.OptionSpec;
import hakmem.api.spi.OptionValues;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Option values as the core hands them to a policy: the declared specs' defaults, overridden by explicit values,
 * every value parsed and checked the way the core's option table does (an invalid value fails at construction with
 * an {@link IllegalArgumentException} naming the option, the value and what is accepted). Reading an undeclared
 * name, or reading an option as the wrong type, fails as it does in the core.
 *
 * <p>Pass the plugin's own {@code options()} plus any core option the policy reads (for example
 * {@code ss.mem.lean.decommit}), declared with the same type as the core's.
 */
public final class FakeOptionValues implements OptionValues {

    private final Map<String, OptionSpec> specs = new LinkedHashMap<>();
    private final Map<String, String> set;
    private final Map<String, Object> parsed = new LinkedHashMap<>();
    private final Set<String> read = ConcurrentHashMap.newKeySet();

    /**
     * @param specs the declared options (later specs with the same name replace earlier ones)
     * @param set   explicit values by option name; each must be declared and valid
     * @throws IllegalArgumentException for an undeclared name or an invalid value
     */
    public FakeOptionValues(Collection<OptionSpec> specs, Map<String, String> set) {
        specs.forEach(s -> this.specs.put(s.name(), s));
        this.set = Map.copyOf(set);
        for (OptionSpec s : this.specs.values()) {
            String text = text(s).strip();
            parsed.put(s.name(), text.isEmpty() ? null : parse(s, text));
        }
        for (String name : set.keySet()) {
            if (!this.specs.containsKey(name)) {
                throw new IllegalArgumentException("undeclared option '" + name + "'; declared: " + this.specs.keySet());
            }
        }
    }

    /** The plugin's declared options with their defaults. */
    public static FakeOptionValues defaults(Collection<OptionSpec> specs) {
        return new FakeOptionValues(specs, Map.of());
    }

    /** The names the policy read so far (any getter). */
    public Set<String> read() {
        return Set.copyOf(read);
    }

    /**
     * Parses one value the way the core does.
     *
     * @return a {@code Boolean}, a {@code Long} (NUMBER, SIZE in bytes) or a {@code String} (CHOICE upper case, TEXT)
     * @throws IllegalArgumentException naming the option, the value and what is accepted
     */
    public static Object parse(OptionSpec spec, String text) {
        try {
            return switch (spec.type()) {
                case BOOLEAN -> switch (text.toLowerCase(Locale.ROOT)) {
                    case "1", "true", "on", "yes" -> Boolean.TRUE;
                    case "0", "false", "off", "no" -> Boolean.FALSE;
                    default -> throw new NumberFormatException();
                };
                case NUMBER -> {
                    long n = Long.parseLong(text);
                    if (n < 0) {
                        throw new NumberFormatException();
                    }
                    yield n;
                }
                case SIZE -> parseSize(text, spec.unit());
                case CHOICE -> {
                    String up = text.toUpperCase(Locale.ROOT);
                    if (!spec.accepted().contains(up)) {
                        throw new NumberFormatException();
                    }
                    yield up;
                }
                case TEXT -> text;
            };
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("invalid value '" + text + "' for option " + spec.name() + "; accepted: "
                    + accepted(spec));
        }
    }

    /** What the core accepts for a spec, in words. */
    public static String accepted(OptionSpec spec) {
        return switch (spec.type()) {
            case BOOLEAN -> "0, 1, true, false, on, off, yes, no";
            case NUMBER -> "a whole number >= 0";
            case SIZE -> "a size >= 0 such as 10 (" + spec.unit() + "), 512K, 64M or 2G";
            case CHOICE -> String.join(", ", spec.accepted());
            case TEXT -> "any text";
        };
    }

    private static long parseSize(String text, String unit) {
        String t = text.toUpperCase(Locale.ROOT);
        if (t.endsWith("B") && t.length() > 1 && !Character.isDigit(t.charAt(t.length() - 2))) {
            t = t.substring(0, t.length() - 1);
        }
        char last = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
        int shift;
        String digits;
        if (Character.isDigit(last)) {
            shift = shiftOf(unit.isEmpty() ? 'B' : unit.toUpperCase(Locale.ROOT).charAt(0));
            digits = t;
        } else {
            shift = shiftOf(last);
            digits = t.substring(0, t.length() - 1);
        }
        long n = Long.parseLong(digits.strip());
        if (n < 0 || n > (Long.MAX_VALUE >> shift)) {
            throw new NumberFormatException();
        }
        return n << shift;
    }

    private static int shiftOf(char c) {
        return switch (c) {
            case 'B' -> 0;
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            default -> throw new NumberFormatException();
        };
    }

    private String text(OptionSpec s) {
        return set.getOrDefault(s.name(), s.defaultValue());
    }

    private OptionSpec spec(String name, OptionSpec.Type type) {
        OptionSpec s = specs.get(name);
        if (s == null) {
            throw new IllegalArgumentException("unknown option '" + name + "'; options: " + specs.keySet());
        }
        if (type != null && s.type() != type) {
            throw new IllegalArgumentException("option '" + name + "' is a " + s.type() + ", not a " + type);
        }
        read.add(name);
        return s;
    }

    @Override
    public String text(String name) {
        return text(spec(name, null)).strip();
    }

    @Override
    public boolean flag(String name) {
        return parsed.get(spec(name, OptionSpec.Type.BOOLEAN).name()) == Boolean.TRUE;
    }

    @Override
    public long number(String name) {
        Object v = parsed.get(spec(name, OptionSpec.Type.NUMBER).name());
        return v == null ? 0 : (Long) v;
    }

    @Override
    public long bytes(String name) {
        Object v = parsed.get(spec(name, OptionSpec.Type.SIZE).name());
        return v == null ? 0 : (Long) v;
    }

    @Override
    public String choice(String name) {
        Object v = parsed.get(spec(name, OptionSpec.Type.CHOICE).name());
        return v == null ? "" : (String) v;
    }

    @Override
    public boolean isSet(String name) {
        return set.containsKey(spec(name, null).name());
    }

    /** The declared specs, in declaration order. */
    public List<OptionSpec> specs() {
        return List.copyOf(specs.values());
    }
}
