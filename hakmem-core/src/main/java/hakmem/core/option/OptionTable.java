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
 * the legacy environment name, then the default. An empty or blank value at any level means unset and falls through
 * to the next.
 *
 * <p>Validation: every value is parsed and range-checked when the table is resolved. A bad value of a core option
 * fails {@link #resolve} at once, naming the option, the value, where it came from and what is accepted. A bad value
 * of a plugin's option is kept as an error of its row: {@link Resolved#requireValid} fails open with it when that
 * plugin is the chosen policy; otherwise it is only a warning ({@link Resolved#warnings}), so one plugin's bad value
 * cannot stop another policy from opening. Reading such a row fails with the same message.
 */
public final class OptionTable {

    /** The owner of the core's rows. */
    public static final String CORE = "core";

    private final Map<String, OptionSpec> specs = new LinkedHashMap<>();
    private final Map<String, String> owners = new LinkedHashMap<>();

    public OptionTable() {
        for (OptionSpec s : CoreOptions.SPECS) {
            add(s, CORE);
        }
    }

    /** Adds a plugin's rows; a name already in the table, or in a namespace that is not options, is an error. */
    public OptionTable add(OptionSpec spec, String owner) {
        if (OptionNames.reserved(spec.name())) {
            throw new IllegalArgumentException("option '" + spec.name() + "' declared by " + owner
                    + " is in a namespace reserved for non-options: " + OptionNames.RESERVED_NAMES + ", "
                    + OptionNames.RESERVED_PREFIXES);
        }
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

    /**
     * Resolves every option. {@code api} keys must be declared options. Fails on a bad value of a core option;
     * a bad value of a plugin's option is recorded in its row (see the class comment).
     */
    public Resolved resolve(OptionSource source, Map<String, String> api) {
        for (String key : api.keySet()) {
            if (!specs.containsKey(key)) {
                String closest = OptionNames.closest(key, List.copyOf(specs.keySet()));
                throw new IllegalArgumentException("unknown option '" + key + "'"
                        + (closest == null ? "" : " (did you mean " + closest + "?)") + "; options: " + specs.keySet());
            }
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (OptionSpec spec : specs.values()) {
            String text;
            String from;
            Optional<String> v;
            if ((v = given(Optional.ofNullable(api.get(spec.name())))).isPresent()) {
                from = "api";
            } else if ((v = given(source.property(spec.property()))).isPresent()) {
                from = "property -D" + spec.property();
            } else if ((v = given(source.env(spec.env()))).isPresent()) {
                from = "env " + spec.env();
            } else if (!spec.legacyEnv().isEmpty() && (v = given(source.env(spec.legacyEnv()))).isPresent()) {
                from = "env " + spec.legacyEnv() + " (legacy)";
            } else {
                v = Optional.of(spec.defaultValue().strip());
                from = "default";
            }
            text = v.get();
            String owner = owners.get(spec.name());
            Object parsed = null;
            String error = null;
            try {
                parsed = text.isEmpty() ? null : parse(spec, text, from);
            } catch (IllegalArgumentException e) {
                if (owner.equals(CORE)) {
                    throw e;
                }
                error = e.getMessage();
            }
            entries.put(spec.name(), new Entry(spec, text, from, parsed, owner, error));
        }
        return new Resolved(entries, OptionNames.unknown(source, specs.values()));
    }

    /** The stripped text of a value that is given; empty or blank counts as not given. */
    private static Optional<String> given(Optional<String> raw) {
        return raw.map(String::strip).filter(s -> !s.isEmpty());
    }

    static Object parse(OptionSpec spec, String text, String from) {
        Object value;
        try {
            value = switch (spec.type()) {
                case BOOLEAN -> switch (text.toLowerCase(Locale.ROOT)) {
                    case "1", "true", "on", "yes" -> Boolean.TRUE;
                    case "0", "false", "off", "no" -> Boolean.FALSE;
                    default -> throw new NumberFormatException();
                };
                case NUMBER -> Long.parseLong(text);
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
            throw invalid(spec, text, from, "");
        }
        if (value instanceof Long n && (n < spec.min() || n > spec.max())) {
            throw invalid(spec, text, from, ": out of range");
        }
        return value;
    }

    private static IllegalArgumentException invalid(OptionSpec spec, String text, String from, String why) {
        return new IllegalArgumentException("invalid value '" + text + "' for option " + spec.name() + " (from " + from
                + ")" + why + "; accepted: " + accepted(spec));
    }

    static String accepted(OptionSpec spec) {
        return switch (spec.type()) {
            case BOOLEAN -> "0, 1, true, false, on, off, yes, no";
            case NUMBER -> "a whole number in " + spec.rangeText() + (spec.unit().isEmpty() ? "" : " (" + spec.unit() + ")");
            case SIZE -> "a size in " + spec.rangeText() + " (a bare number is in "
                    + (spec.unit().isEmpty() ? "B" : spec.unit()) + "; suffixes K, M, G, T, e.g. 512K)";
            case CHOICE -> String.join(", ", spec.accepted());
            case TEXT -> "any text";
        };
    }

    /** Parses {@code 10}, {@code 512K}, {@code 64MB}, {@code 2g}, {@code 1T}; a bare number is in {@code unit}. */
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
            case 'T' -> 40;
            default -> throw new NumberFormatException();
        };
    }

    /** One resolved row; {@code error} is the message of a plugin option's bad value (then {@code value} is null). */
    record Entry(OptionSpec spec, String text, String from, Object value, String owner, String error) {
    }

    /** The resolved table: the values a policy reads, the rows the bench prints, the warnings open logs. */
    public static final class Resolved implements OptionValues {
        private final Map<String, Entry> entries;
        private final List<String> unknown;

        Resolved(Map<String, Entry> entries, List<String> unknown) {
            this.entries = entries;
            this.unknown = List.copyOf(unknown);
        }

        private Entry entry(String name, OptionSpec.Type type) {
            Entry e = entries.get(name);
            if (e == null) {
                throw new IllegalArgumentException("unknown option '" + name + "'; options: " + entries.keySet());
            }
            if (type != null && e.spec().type() != type) {
                throw new IllegalArgumentException("option '" + name + "' is a " + e.spec().type() + ", not a " + type);
            }
            if (e.error() != null) {
                throw new IllegalArgumentException(e.error());
            }
            return e;
        }

        /** Fails with the first bad value among the rows {@code owner} declared (the chosen policy's id). */
        public void requireValid(String owner) {
            for (Entry e : entries.values()) {
                if (e.error() != null && e.owner().equals(owner)) {
                    throw new IllegalArgumentException(e.error());
                }
            }
        }

        /**
         * What open warns about when {@code chosen} is the policy: each {@code hakmem.*} property and
         * {@code HAKMEM_*} variable that names no option (with the closest name), then each bad value of another
         * plugin's option, which is ignored.
         */
        public List<String> warnings(String chosen) {
            List<String> out = new ArrayList<>(unknown);
            for (Entry e : entries.values()) {
                if (e.error() != null && !e.owner().equals(chosen)) {
                    out.add(e.error() + "; ignored, since the option belongs to policy '" + e.owner()
                            + "' and the policy is '" + chosen + "'");
                }
            }
            return out;
        }

        /** The {@code hakmem.*} properties and {@code HAKMEM_*} variables that name no option, as warnings. */
        public List<String> unknown() {
            return unknown;
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
            return !entries.get(checked(name)).from().equals("default");
        }

        /** Where the value came from, e.g. {@code env HAKMEM_POLICY}. */
        public String source(String name) {
            return entries.get(checked(name)).from();
        }

        private String checked(String name) {
            if (!entries.containsKey(name)) {
                throw new IllegalArgumentException("unknown option '" + name + "'; options: " + entries.keySet());
            }
            return name;
        }

        /** The table as rows for users and reports (a bad value of a plugin's option shows as given). */
        public List<OptionValue> rows() {
            List<OptionValue> rows = new ArrayList<>();
            for (Entry e : entries.values()) {
                OptionSpec s = e.spec();
                rows.add(new OptionValue(s.name(), e.text(), e.from(), s.defaultValue(), s.unit(), s.property(), s.env(),
                        s.legacyEnv(), s.accepted(), s.description(), e.owner(), s.rangeText()));
            }
            return rows;
        }
    }
}
