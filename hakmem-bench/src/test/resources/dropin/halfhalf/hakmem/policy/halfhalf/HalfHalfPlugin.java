package hakmem.policy.halfhalf;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import hakmem.api.spi.OptionSpec;
import hakmem.api.spi.PolicyPlugin;
import hakmem.api.spi.ReleasePolicy;
import java.util.List;

/** The entry point ServiceLoader finds: an id, a description, a Guice module, an option and a counter. */
public final class HalfHalfPlugin implements PolicyPlugin {

    public HalfHalfPlugin() {
    }

    @Override
    public String id() {
        return "halfhalf";
    }

    @Override
    public String description() {
        return "example drop-in: when a slab empties, decommit half of its class's empty committed memory";
    }

    @Override
    public Module module() {
        return new AbstractModule() {
            @Override
            protected void configure() {
                bind(ReleasePolicy.class).to(HalfHalfPolicy.class);
            }
        };
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(new OptionSpec(HalfHalfPolicy.ADVICE, OptionSpec.Type.CHOICE, "DONTNEED", "mode", "",
                List.of("FREE", "DONTNEED"), "halfhalf: the madvise flavour it decommits with"));
    }

    @Override
    public List<String> counters() {
        return List.of(HalfHalfPolicy.COUNTER);
    }
}
