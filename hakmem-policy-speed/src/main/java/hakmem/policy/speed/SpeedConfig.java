package hakmem.policy.speed;

import hakmem.api.spi.OptionValues;

/**
 * The {@code speed} policy's settings.
 *
 * @param prewarmSuperSlabs superslabs mapped and touched per tiny class at open
 */
record SpeedConfig(int prewarmSuperSlabs) {

    SpeedConfig {
        if (prewarmSuperSlabs < 0 || prewarmSuperSlabs > SpeedPlugin.MAX_PREWARM) {
            throw invalid(prewarmSuperSlabs);
        }
    }

    static SpeedConfig from(OptionValues options) {
        long n = options.number(SpeedPlugin.PREWARM_OPTION);
        if (n > SpeedPlugin.MAX_PREWARM) {
            throw invalid(n);
        }
        return new SpeedConfig((int) n);
    }

    private static IllegalArgumentException invalid(long value) {
        return new IllegalArgumentException("invalid value '" + value + "' for option " + SpeedPlugin.PREWARM_OPTION
                + " (-Dhakmem." + SpeedPlugin.PREWARM_OPTION + "): accepted 0.." + SpeedPlugin.MAX_PREWARM);
    }
}
