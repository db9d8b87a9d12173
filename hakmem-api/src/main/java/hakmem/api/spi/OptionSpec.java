package hakmem.api.spi;

import java.util.List;
import java.util.Objects;

/**
 * One row of the option table: declared by the core or by a policy plugin.
 * The system property is {@code hakmem.<name>}; the environment variable is {@code HAKMEM_<NAME>} with dots
 * turned into underscores (e.g. {@code ss.mem.lean.target.mb} is {@code HAKMEM_SS_MEM_LEAN_TARGET_MB}).
 *
 * @param name         lower-case dotted name, {@code [a-z0-9]+(\.[a-z0-9]+)*}
 * @param type         how the value is parsed
 * @param defaultValue the default, as text (empty: unset)
 * @param unit         the unit shown in tables ({@code MB}, {@code ms}, {@code bytes}, ...); for {@link Type#SIZE}
 *                     a bare number is in this unit ({@code B}, {@code K}, {@code M} or {@code G})
 * @param legacyEnv    an older environment variable still honoured after the new one, or empty
 * @param accepted     for {@link Type#CHOICE}: the accepted values (upper case); otherwise empty
 * @param description  what it does
 */
public record OptionSpec(String name, Type type, String defaultValue, String unit, String legacyEnv,
                         List<String> accepted, String description) {

    /** How an option's text is parsed. */
    public enum Type {
        /** {@code 0/1/true/false/on/off/yes/no}. */
        BOOLEAN,
        /** A non-negative whole number. */
        NUMBER,
        /** A non-negative size; accepts the suffixes K, M, G (powers of 1024), optionally followed by B. */
        SIZE,
        /** One of {@link #accepted()}, case-insensitive. */
        CHOICE,
        /** Free text. */
        TEXT
    }

    public OptionSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(legacyEnv, "legacyEnv");
        Objects.requireNonNull(description, "description");
        accepted = List.copyOf(accepted);
        if (!name.matches("[a-z0-9]+(\\.[a-z0-9]+)*")) {
            throw new IllegalArgumentException("option name must be lower-case dotted words: '" + name + "'");
        }
        if ((type == Type.CHOICE) == accepted.isEmpty()) {
            throw new IllegalArgumentException("option '" + name + "': accepted values are required for CHOICE and only for it");
        }
    }

    /** The system property that sets it: {@code hakmem.<name>}. */
    public String property() {
        return "hakmem." + name;
    }

    /** The environment variable that sets it: {@code HAKMEM_<NAME>}. */
    public String env() {
        return "HAKMEM_" + name.replace('.', '_').toUpperCase(java.util.Locale.ROOT);
    }
}
