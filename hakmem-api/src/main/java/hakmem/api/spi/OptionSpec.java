package hakmem.api.spi;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One row of the option table: declared by the core or by a policy plugin.
 * The system property is {@code hakmem.<name>}; the environment variable is {@code HAKMEM_<NAME>} with dots
 * turned into underscores (e.g. {@code ss.mem.lean.target.mb} is {@code HAKMEM_SS_MEM_LEAN_TARGET_MB}).
 *
 * <p>Every {@link Type#NUMBER} and {@link Type#SIZE} option has a range, {@code min..max} inclusive: the core
 * rejects a value outside it when the allocator opens, naming option, value, source and range, so a policy never
 * sees one (and its arithmetic cannot overflow on one). Declare a range that the policy's arithmetic is safe for
 * ({@link #withRange}); the 7-argument constructor, kept for plugins compiled against the first SPI, gives the
 * widest range, {@code 0..Long.MAX_VALUE}.
 *
 * @param name         lower-case dotted name, {@code [a-z0-9]+(\.[a-z0-9]+)*}
 * @param type         how the value is parsed
 * @param defaultValue the default, as text (empty: unset)
 * @param unit         the unit shown in tables ({@code MB}, {@code ms}, {@code bytes}, ...); for {@link Type#SIZE}
 *                     a bare number is in this unit ({@code B}, {@code K}, {@code M}, {@code G} or {@code T})
 * @param legacyEnv    an older environment variable still honoured after the new one, or empty
 * @param accepted     for {@link Type#CHOICE}: the accepted values (upper case); otherwise empty
 * @param description  what it does
 * @param min          for {@link Type#NUMBER}: the smallest accepted value; for {@link Type#SIZE}: in bytes;
 *                     {@code 0} for the other types
 * @param max          the largest accepted value (bytes for {@link Type#SIZE}); {@link Long#MAX_VALUE} for the
 *                     other types
 */
public record OptionSpec(String name, Type type, String defaultValue, String unit, String legacyEnv,
                         List<String> accepted, String description, long min, long max) {

    /** How an option's text is parsed. */
    public enum Type {
        /** {@code 0/1/true/false/on/off/yes/no}. */
        BOOLEAN,
        /** A whole number in {@code min..max} (both {@code >= 0}). */
        NUMBER,
        /** A size in {@code min..max} bytes; accepts the suffixes K, M, G, T (powers of 1024), optionally followed by B. */
        SIZE,
        /** One of {@link #accepted()}, case-insensitive. */
        CHOICE,
        /** Free text. */
        TEXT;

        /** True for the types that have a range. */
        public boolean numeric() {
            return this == NUMBER || this == SIZE;
        }
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
        if (type.numeric() ? min < 0 || min > max : min != 0 || max != Long.MAX_VALUE) {
            throw new IllegalArgumentException("option '" + name + "': " + (type.numeric()
                    ? "range " + min + ".." + max + " must have 0 <= min <= max"
                    : "a range is only for NUMBER and SIZE, not " + type));
        }
    }

    /**
     * The first SPI's constructor, without a range: {@code 0..Long.MAX_VALUE}. Kept so that policy jars compiled
     * against it keep working; new code should give a range ({@link #withRange}).
     */
    public OptionSpec(String name, Type type, String defaultValue, String unit, String legacyEnv,
                      List<String> accepted, String description) {
        this(name, type, defaultValue, unit, legacyEnv, accepted, description, 0, Long.MAX_VALUE);
    }

    /** This row with the range {@code min..max} (inclusive; bytes for {@link Type#SIZE}). */
    public OptionSpec withRange(long min, long max) {
        return new OptionSpec(name, type, defaultValue, unit, legacyEnv, accepted, description, min, max);
    }

    /**
     * The range as users write values: {@code 0..32} for a number, {@code 0..1T} for a size (an exact suffix
     * where one fits, else bytes with a {@code B}); empty for the types without a range.
     */
    public String rangeText() {
        if (!type.numeric()) {
            return "";
        }
        return type == Type.SIZE ? sizeText(min) + ".." + sizeText(max) : min + ".." + max;
    }

    private static String sizeText(long bytes) {
        if (bytes == 0) {
            return "0";
        }
        String suffixes = "KMGT";
        for (int i = suffixes.length(); i >= 1; i--) {
            long unit = 1L << (10 * i);
            if (bytes % unit == 0) {
                return bytes / unit + suffixes.substring(i - 1, i);
            }
        }
        return bytes + "B";
    }

    /** The system property that sets it: {@code hakmem.<name>}. */
    public String property() {
        return "hakmem." + name;
    }

    /** The environment variable that sets it: {@code HAKMEM_<NAME>}. */
    public String env() {
        return "HAKMEM_" + name.replace('.', '_').toUpperCase(Locale.ROOT);
    }
}
