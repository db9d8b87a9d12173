package hakmem.policy.lean;

import java.util.List;

/** Names of the options and counters the lean policies use. The {@code ss.mem.lean.*} options are the core's. */
final class LeanOptions {

    /** Total resident target in MB ({@code HAKMEM_SS_MEM_LEAN_TARGET_MB}); per-class budgets derive from it. */
    static final String TARGET = "ss.mem.lean.target.mb";
    /** {@code FREE|DONTNEED|OFF} ({@code HAKMEM_SS_MEM_LEAN_DECOMMIT}). */
    static final String DECOMMIT = "ss.mem.lean.decommit";
    /** Minimum time in ms memory stays empty before it is released; 0 = at once ({@code HAKMEM_SS_MEM_LEAN_DELAY_MS}). */
    static final String DELAY = "ss.mem.lean.delay.ms";
    /** Declared by the {@code lean} plugin: empty slabs per class kept committed (hysteresis). */
    static final String KEEP_SLABS = "lean.keep.slabs";
    /** Declared by the {@code lean} plugin: idle time after which the ticker releases the kept memory too. */
    static final String KEEP_IDLE = "lean.keep.idle.ms";

    static final String COUNTER_DECOMMIT = "lean_decommit";
    static final String COUNTER_RETIRE = "lean_retire";
    static final String COUNTER_BYTES_DECOMMITTED = "lean_bytes_decommitted";
    static final String COUNTER_PREWARM_SKIPPED = "lean_prewarm_skipped";

    /** Both plugins declare the same counters, so their stats have one shape and compare column by column. */
    static final List<String> COUNTERS =
            List.of(COUNTER_DECOMMIT, COUNTER_RETIRE, COUNTER_BYTES_DECOMMITTED, COUNTER_PREWARM_SKIPPED);

    /** Upper bound of {@link #KEEP_SLABS}: a whole 2 MiB superslab of 64 KiB slabs. */
    static final int MAX_KEEP_SLABS = 32;

    /**
     * Upper bound of every time option in ms ({@link #DELAY}, declared by the core with the same range, and
     * {@link #KEEP_IDLE}): one day. It keeps the ticker period and the nanosecond waits far from overflow.
     */
    static final long MAX_MILLIS = 86_400_000L;

    /** Upper bound of {@link #TARGET} (declared by the core with the same range): 1 TiB. */
    static final long MAX_TARGET_BYTES = 1L << 40;

    private LeanOptions() {
    }
}
