package hakmem.api;

import java.util.List;

/**
 * One row of the effective option table.
 *
 * @param name         the option's name, e.g. {@code ss.mem.lean.decommit}
 * @param value        the effective value, as text
 * @param source       where the value came from: {@code default}, {@code property -Dhakmem.x},
 *                     {@code env HAKMEM_X}, {@code env HAKMEM_LEGACY} (a legacy name) or {@code api}
 * @param defaultValue the default, as text
 * @param unit         the unit or kind of value (e.g. {@code bytes}, {@code MB}, {@code ms}, {@code bool})
 * @param property     the system property that sets it
 * @param env          the environment variable that sets it
 * @param legacyEnv    an older environment variable still honoured, or empty
 * @param accepted     the accepted values (empty when any value of the unit is accepted)
 * @param description  what it does
 * @param owner        {@code core} or the id of the policy plugin that declared it
 * @param range        for a number or a size, the accepted range as users write values ({@code 0..32},
 *                     {@code 0..1T}); empty for the other kinds
 */
public record OptionValue(String name, String value, String source, String defaultValue, String unit,
                          String property, String env, String legacyEnv, List<String> accepted,
                          String description, String owner, String range) {
    public OptionValue {
        accepted = List.copyOf(accepted);
        java.util.Objects.requireNonNull(range, "range");
    }

    /** The first API's constructor, without a range (empty). */
    public OptionValue(String name, String value, String source, String defaultValue, String unit,
                       String property, String env, String legacyEnv, List<String> accepted,
                       String description, String owner) {
        this(name, value, source, defaultValue, unit, property, env, legacyEnv, accepted, description, owner, "");
    }
}
