package hakmem.core.option;

import hakmem.api.OptionValue;
import hakmem.api.spi.OptionSource;
import hakmem.api.spi.OptionSpec;
import hakmem.api.spi.OptionValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The env gate box: one option table (the core's rows plus each policy plugin's), resolved with one precedence
 * rule: explicit api value, then system property {@code hakmem.<name>}, then environment {@code HAKMEM_<NAME>}, then
 * the legacy environment name, then the default. Every value is parsed when the table is resolved, so an invalid
 * value fails {@code Hakmem.open} at once, naming the option, the value, where it came from and what is accepted.
 */
public final class OptionTable {

    private final Map<String, OptionSpec> specs = new LinkedHashMap<>();
    private final Map<String, String> owners = new LinkedHashMap<>();

    public OptionTable() {
        for (OptionSpec s : CoreOptions.SPECS) {
            add(s, "core");
        }
    }

    /** Adds a plugin's rows; a name already in the table is an error. */
    public OptionTable add(OptionSpec spec, String owner) {
        OptionSpec prev = specs.putIfAbsent(spec.name(), spec);
        if (prev != null) {
            throw new IllegalArgumentException("option '" + spec.name() + "' declared by " + owner
                    + " is already declared by " + owners.get(spec.name()));
        }
        owners.put(spec.name(), owner);
        return this;
    }

    public List<OptionSpec> specs() {
        return List.copyOf(specs.values());
    }

    /** Resolves every option. {@code api} keys must be declared options. */
    public Resolved resolve(OptionSource source, Map<String, String> api) {
        for (String key : api.keySet()) {
            if (!specs.containsKey(key)) {
                throw new IllegalArgumentException("unknown option '" + key + "'; options: " + specs.keySet());
            }
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (OptionSpec spec : specs.values()) {
            String text;
            String from;
            Optional<String> v;
            if (api.get(spec.name()) != null) {
                text = api.get(spec.name());
                from = "api";
            } else if ((v = source.property(spec.property())).isPresent()) {
                text = v.get();
                from = "property -D" + spec.property();
            } else if ((v = source.env(spec.env())).isPresent()) {
                text = v.get();
                from = "env " + spec.env();
            } else if (!spec.legacyEnv().isEmpty() && (v = source.env(spec.legacyEnv())).isPresent()) {
                text = v.get();
                from = "env " + spec.legacyEnv() + " (legacy)";
            } else {
                text = spec.defaultValue();
                from = "default";
            }
            text = text.strip();
            Object parsed = text.isEmpty() ? null : parse(spec, text, from);
            entries.put(spec.name(), new Entry(spec, text, from, parsed, owners.get(spec.name())));
        }
        return new Resolved(entries);
    }

    static Object parse(OptionSpec spec, String text, String from) {
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
            throw new IllegalArgumentException("invalid value '" + text + "' for option " + spec.name() + " (from " + from
                    + "); accepted: " + accepted(spec));
        }
    }

    static String accepted(OptionSpec spec) {
        return switch (spec.type()) {
            case BOOLEAN -> "0, 1, true, false, on, off, yes, no";
            case NUMBER -> "a whole number >= 0";
            case SIZE -> "a size >= 0 such as 10 (" + spec.unit() + "), 512K, 64M or 2G";
            case CHOICE -> String.join(", ", spec.accepted());
            case TEXT -> "any text";
        };
    }

    /** Parses {@code 10}, {@code 512K}, {@code 64MB}, {@code 2g}; a bare number is in {@code unit}. */
    static long parseSize(String text, String unit) {
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

    record Entry(OptionSpec spec, String text, String from, Object value, String owner) {
    }

    /** The resolved table: the values a policy reads and the rows the bench prints. */
    public static final class Resolved implements OptionValues {
        private final Map<String, Entry> entries;

        Resolved(Map<String, Entry> entries) {
            this.entries = entries;
        }

        private Entry entry(String name, OptionSpec.Type type) {
            Entry e = entries.get(name);
            if (e == null) {
                throw new IllegalArgumentException("unknown option '" + name + "'; options: " + entries.keySet());
            }
            if (type != null && e.spec().type() != type) {
                throw new IllegalArgumentException("option '" + name + "' is a " + e.spec().type() + ", not a " + type);
            }
            return e;
        }

        @Override
        public String text(String name) {
            return entry(name, null).text();
        }

        @Override
        public boolean flag(String name) {
            return entry(name, OptionSpec.Type.BOOLEAN).value() == Boolean.TRUE;
        }

        @Override
        public long number(String name) {
            Object v = entry(name, OptionSpec.Type.NUMBER).value();
            return v == null ? 0 : (Long) v;
        }

        @Override
        public long bytes(String name) {
            Object v = entry(name, OptionSpec.Type.SIZE).value();
            return v == null ? 0 : (Long) v;
        }

        @Override
        public String choice(String name) {
            Object v = entry(name, OptionSpec.Type.CHOICE).value();
            return v == null ? "" : (String) v;
        }

        @Override
        public boolean isSet(String name) {
            return !entry(name, null).from().equals("default");
        }

        /** Where the value came from, e.g. {@code env HAKMEM_POLICY}. */
        public String source(String name) {
            return entry(name, null).from();
        }

        /** The table as rows for users and reports. */
        public List<OptionValue> rows() {
            List<OptionValue> rows = new ArrayList<>();
            for (Entry e : entries.values()) {
                OptionSpec s = e.spec();
                rows.add(new OptionValue(s.name(), e.text(), e.from(), s.defaultValue(), s.unit(), s.property(), s.env(),
                        s.legacyEnv(), s.accepted(), s.description(), e.owner()));
            }
            return rows;
        }
    }
}
