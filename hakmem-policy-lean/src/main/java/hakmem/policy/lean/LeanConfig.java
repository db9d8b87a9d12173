package hakmem.policy.lean;

import hakmem.api.spi.OptionValues;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The typed settings of a lean-family policy, built once from the validated option values.
 *
 * @param decommit       how empty slabs are decommitted; {@link Decommit#OFF} releases nothing
 * @param targetBytes    the total resident target that the per-class budgets share
 * @param delayMillis    how long memory must stay empty before it is released; 0 = on the event itself
 * @param keepSlabs      empty slabs per class kept committed (hysteresis against an alloc/free ping-pong)
 * @param keepIdleMillis how long the kept slabs (and the kept empty superslab) may sit idle before the ticker
 *                       releases them too; 0 = keep them until close
 */
record LeanConfig(Decommit decommit, long targetBytes, long delayMillis, int keepSlabs, long keepIdleMillis) {

    /** A tick finer than this costs more lock round trips than it saves memory. */
    static final long MIN_TICK_MILLIS = 10;

    /**
     * Every setting within its option's range, so that no arithmetic below can overflow: the core's table rejects
     * a value outside the range at open already; this guards a config built any other way (a test's options).
     */
    LeanConfig {
        Objects.requireNonNull(decommit, "decommit");
        check(LeanOptions.TARGET, targetBytes, LeanOptions.MAX_TARGET_BYTES);
        check(LeanOptions.DELAY, delayMillis, LeanOptions.MAX_MILLIS);
        check(LeanOptions.KEEP_SLABS, keepSlabs, LeanOptions.MAX_KEEP_SLABS);
        check(LeanOptions.KEEP_IDLE, keepIdleMillis, LeanOptions.MAX_MILLIS);
    }

    private static long check(String option, long value, long max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException("invalid value '" + value + "' for option " + option
                    + " (-Dhakmem." + option + "): accepted 0.." + max);
        }
        return value;
    }

    /** {@code lean}: every setting from the options. */
    static LeanConfig lean(OptionValues options) {
        // check before the narrowing cast: a wrapped int could look in range
        int keep = (int) check(LeanOptions.KEEP_SLABS, options.number(LeanOptions.KEEP_SLABS), LeanOptions.MAX_KEEP_SLABS);
        return new LeanConfig(options.choice(LeanOptions.DECOMMIT, Decommit.class), options.bytes(LeanOptions.TARGET),
                options.number(LeanOptions.DELAY), keep, options.number(LeanOptions.KEEP_IDLE));
    }

    /** {@code balanced}: lean with decommit off; the decommit, delay and keep options do not apply. */
    static LeanConfig balanced(OptionValues options) {
        return new LeanConfig(Decommit.OFF, options.bytes(LeanOptions.TARGET), 0, 0, 0);
    }

    /** True if this configuration ever decommits or retires. */
    boolean releases() {
        return decommit != Decommit.OFF;
    }

    /** True if memory is released on the empty event itself rather than by the ticker. */
    boolean immediate() {
        return releases() && delayMillis == 0;
    }

    /** True if the ticker also releases the kept (hysteresis) memory once it has been idle long enough. */
    boolean reaps() {
        return releases() && keepIdleMillis > 0;
    }

    /**
     * The ticker period: a quarter of the shortest wait it serves (the delay, the keep idle time), so memory goes
     * back within 1.25 x that wait; at least 10 ms; 0 (no ticker) when nothing waits. At most a quarter of
     * {@link LeanOptions#MAX_MILLIS} (6 hours), so always positive when not 0.
     */
    long tickIntervalMillis() {
        long shortest = Long.MAX_VALUE;
        if (releases() && delayMillis > 0) {
            shortest = delayMillis;
        }
        if (reaps()) {
            shortest = Math.min(shortest, keepIdleMillis);
        }
        return shortest == Long.MAX_VALUE ? 0 : Math.max(MIN_TICK_MILLIS, shortest / 4);
    }

    /** The delay on the handle's nanosecond clock (at most 8.64e13 ns: no overflow). */
    long delayNanos() {
        return TimeUnit.MILLISECONDS.toNanos(delayMillis);
    }

    /** How long kept memory must be idle before the ticker releases it: never less than the delay. */
    long reapNanos() {
        return TimeUnit.MILLISECONDS.toNanos(Math.max(delayMillis, keepIdleMillis));
    }
}
