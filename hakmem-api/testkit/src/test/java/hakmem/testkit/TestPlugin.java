package hakmem.testkit;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import com.google.inject.Provider;
import hakmem.api.spi.OptionSpec;
import hakmem.api.spi.OptionValues;
import hakmem.api.spi.PolicyPlugin;
import hakmem.api.spi.ReleasePolicy;
import java.util.List;
import java.util.function.Function;

/** A plugin for the contract's own tests: a policy made from the option values by {@code factory}, per build. */
record TestPlugin(String id, List<String> counters, List<OptionSpec> options,
                  Function<OptionValues, ReleasePolicy> factory) implements PolicyPlugin {

    TestPlugin(Function<OptionValues, ReleasePolicy> factory) {
        this("test", List.of(), List.of(), factory);
    }

    @Override
    public String description() {
        return "a policy for the contract's tests";
    }

    @Override
    public Module module() {
        return new AbstractModule() {
            @Override
            protected void configure() {
                Provider<OptionValues> options = getProvider(OptionValues.class);
                bind(ReleasePolicy.class).toProvider(() -> factory.apply(options.get()));
            }
        };
    }
}
