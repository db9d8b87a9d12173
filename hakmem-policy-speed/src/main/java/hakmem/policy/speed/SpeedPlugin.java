package hakmem.policy.speed;

import com.google.inject.Module;
import hakmem.api.spi.OptionSpec;
import hakmem.api.spi.PolicyPlugin;
import java.util.List;

/** Entry point of the {@code speed} policy, found with {@link java.util.ServiceLoader}. */
public final class SpeedPlugin implements PolicyPlugin {

    /** The policy id. */
    public static final String ID = "speed";

    /** Superslabs prewarmed per tiny class (C0..C7) at open. */
    public static final String PREWARM_OPTION = "speed.prewarm.superslabs";

    /** Upper bound of {@link #PREWARM_OPTION}: 64 superslabs x 8 classes x 2 MiB = 1 GiB touched at open. */
    static final int MAX_PREWARM = 64;

    public SpeedPlugin() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "hakmem FAST: prewarm C0..C7 superslabs at open, keep everything, never decommit";
    }

    @Override
    public Module module() {
        return new SpeedModule();
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(new OptionSpec(PREWARM_OPTION, OptionSpec.Type.NUMBER, "1", "superslabs", "", List.of(),
                "superslabs of each tiny class (C0..C7) the speed policy maps and touches at open (0.."
                        + MAX_PREWARM + ")").withRange(0, MAX_PREWARM));
    }
}
