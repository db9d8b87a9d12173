package hakmem.policy.lean;

import com.google.inject.Module;
import hakmem.api.spi.PolicyPlugin;
import java.util.List;

/** Entry point of the {@code balanced} policy, the production default: lean with decommit off. */
public final class BalancedPlugin implements PolicyPlugin {

    /** The policy id. */
    public static final String ID = "balanced";

    public BalancedPlugin() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "production default: no prewarm (superslabs mapped on first use), keep what was mapped, never decommit";
    }

    @Override
    public Module module() {
        return new BalancedModule();
    }

    @Override
    public List<String> counters() {
        return LeanOptions.COUNTERS;
    }
}
