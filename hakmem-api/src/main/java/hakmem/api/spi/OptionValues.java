package hakmem.api.spi;

/**
 * The effective, validated option values of one allocator, injectable into policies. Every value was parsed
 * and checked when the allocator opened, so these getters fail only on a name that was never declared or on a
 * type mismatch ({@link IllegalArgumentException}).
 */
public interface OptionValues {

    /** The raw effective text (empty if unset and without default). */
    String text(String name);

    /** A {@link OptionSpec.Type#BOOLEAN} option. */
    boolean flag(String name);

    /** A {@link OptionSpec.Type#NUMBER} option. */
    long number(String name);

    /** A {@link OptionSpec.Type#SIZE} option, in bytes. */
    long bytes(String name);

    /** A {@link OptionSpec.Type#CHOICE} option, as the upper-case accepted value. */
    String choice(String name);

    /**
     * A {@link OptionSpec.Type#CHOICE} option as a constant of {@code type}, matched by name. The table has already
     * checked the value against the option's accepted values, so this fails (with an {@link IllegalArgumentException}
     * naming the option, the value and the constants) only when the option is unset without a default or when
     * {@code type} lacks a constant the option accepts. Prefer it to {@code Enum.valueOf}, whose message names neither.
     */
    default <E extends Enum<E>> E choice(String name, Class<E> type) {
        String value = choice(name);
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(value)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("invalid value '" + value + "' for option " + name + ": accepted: "
                + java.util.Arrays.stream(type.getEnumConstants()).map(Enum::name)
                .collect(java.util.stream.Collectors.joining(", ")));
    }

    /** True if the option was set explicitly (api, property or environment), not taken from its default. */
    boolean isSet(String name);
}
