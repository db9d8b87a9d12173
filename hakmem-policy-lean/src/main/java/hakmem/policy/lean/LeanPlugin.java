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
        return List.of(new OptionSpec(LeanOptions.KEEP_SLABS, OptionSpec.Type.NUMBER, "1", "slabs", "", List.of(),
                "empty slabs per class the lean policy keeps committed, so an alloc/free ping-pong at a slab "
                        + "boundary makes no system calls (0.." + LeanOptions.MAX_KEEP_SLABS + ")"));
    }

    @Override
    public List<String> counters() {
        return LeanOptions.COUNTERS;
    }
}
