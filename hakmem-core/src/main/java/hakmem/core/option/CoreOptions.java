package hakmem.core.option;

import hakmem.api.spi.OptionSpec;
import hakmem.api.spi.OptionSpec.Type;
import java.util.List;

/** The core's rows of the one option table (the seed's gates included). Plugins add theirs. */
public final class CoreOptions {

    public static final String POLICY = "policy";
    public static final String LEAN = "ss.mem.lean";
    public static final String LEAN_TARGET_MB = "ss.mem.lean.target.mb";
    public static final String LEAN_DECOMMIT = "ss.mem.lean.decommit";
    public static final String LEAN_DELAY_MS = "ss.mem.lean.delay.ms";
    public static final String OS_STATS = "ss.os.stats";
    public static final String SOFT_LIMIT_MB = "soft.limit.mb";
    public static final String JMX = "jmx";
    public static final String TRACE = "trace";

    /** Upper bound of every time option in ms: one day. Anything longer is "never" in practice, and far from overflow. */
    public static final long MAX_MILLIS = 86_400_000L;
    /** Upper bound of {@link #LEAN_TARGET_MB}: 1 TiB. */
    public static final long MAX_TARGET_BYTES = 1L << 40;

    public static final List<OptionSpec> SPECS = List.of(
            new OptionSpec(POLICY, Type.TEXT, "balanced", "id", "", List.of(),
                    "release policy id (see `hakmem list`); beats the legacy gate ss.mem.lean"),
            new OptionSpec(LEAN, Type.BOOLEAN, "", "bool", "", List.of(),
                    "the seed's legacy gate: 1 selects lean, 0 selects speed, when no policy is given"),
            new OptionSpec(LEAN_TARGET_MB, Type.SIZE, "10", "M", "", List.of(),
                    "lean: total resident target the per-class budgets derive from (a bare number is MB)")
                    .withRange(0, MAX_TARGET_BYTES),
            new OptionSpec(LEAN_DECOMMIT, Type.CHOICE, "DONTNEED", "mode", "", List.of("FREE", "DONTNEED", "OFF"),
                    "lean: how empty slabs are decommitted (MADV_FREE, MADV_DONTNEED, or not at all)"),
            new OptionSpec(LEAN_DELAY_MS, Type.NUMBER, "0", "ms", "", List.of(),
                    "lean: how long a slab stays empty before it is decommitted (0 = at once; >0 = by the ticker)")
                    .withRange(0, MAX_MILLIS),
            new OptionSpec(OS_STATS, Type.BOOLEAN, "0", "bool", "", List.of(),
                    "print the allocator's statistics, one line per counter, at close and at JVM exit"),
            new OptionSpec(SOFT_LIMIT_MB, Type.SIZE, "0", "M", "", List.of(),
                    "soft limit on the allocator's committed footprint (a bare number is MB; 0 = none): above it the "
                            + "policy is asked to release, then the core trims")
                    .withRange(0, MAX_TARGET_BYTES),
            new OptionSpec(JMX, Type.BOOLEAN, "1", "bool", "", List.of(),
                    "register the allocator's MBean hakmem:type=Allocator,policy=<id>,id=<n> while it is open"),
            new OptionSpec(TRACE, Type.TEXT, "", "file", "", List.of(),
                    "record every malloc/calloc/realloc/free/allocate in this trace file (replay: compare --workload trace:FILE)"));

    private CoreOptions() {
    }
}
