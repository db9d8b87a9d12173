package hakmem.policy.lean;

import com.google.inject.Module;
import hakmem.api.spi.OptionSpec;
import hakmem.api.spi.PolicyPlugin;
import java.util.List;

/** Entry point of the {@code lean} policy (hakmem's Memory-Lean mode), found with {@link java.util.ServiceLoader}. */
public final class LeanPlugin implements PolicyPlugin {

    /** The policy id. */
    public static final String ID = "lean";

    public LeanPlugin() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "hakmem Memory-Lean: no prewarm, decommit empty slabs (ss.mem.lean.decommit), "
                + "retire empty superslabs beyond a budget from ss.mem.lean.target.mb";
    }

    @Override
    public Module module() {
        return new LeanModule();
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(
                new OptionSpec(LeanOptions.KEEP_SLABS, OptionSpec.Type.NUMBER, "8", "slabs", "", List.of(),
                        "lean: empty slabs per class kept committed, so an alloc/free ping-pong at a slab boundary "
                                + "makes no system calls (0.." + LeanOptions.MAX_KEEP_SLABS + ")")
                        .withRange(0, LeanOptions.MAX_KEEP_SLABS),
                new OptionSpec(LeanOptions.KEEP_IDLE, OptionSpec.Type.NUMBER, "1000", "ms", "", List.of(),
                        "lean: a kept slab or superslab idle this long is released by the ticker too, so an idle "
                                + "process returns everything (0 = keep until close)")
                        .withRange(0, LeanOptions.MAX_MILLIS));
    }

    @Override
    public List<String> counters() {
        return LeanOptions.COUNTERS;
    }
}
