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

    /** True if the option was set explicitly (api, property or environment), not taken from its default. */
    boolean isSet(String name);
}
