package hakmem.policy.broken;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import hakmem.api.spi.EmptySlab;
import hakmem.api.spi.PolicyPlugin;
import hakmem.api.spi.ReleaseHandle;
import hakmem.api.spi.ReleasePolicy;

/** Breaks two rules on purpose: onSlabEmpty throws, and the ticker period is two days (the limit is one). */
public final class BrokenPlugin implements PolicyPlugin {

    /** Public, so that a ServiceLoader can make one. */
    public BrokenPlugin() {
    }

    @Override
    public String id() {
        return "broken";
    }

    @Override
    public String description() {
        return "deliberately broken: onSlabEmpty throws, tick interval two days";
    }

    @Override
    public Module module() {
        return new AbstractModule() {
            @Override
            protected void configure() {
                bind(ReleasePolicy.class).toInstance(new ReleasePolicy() {
                    @Override
                    public void onSlabEmpty(EmptySlab slab, boolean superSlabEmpty, ReleaseHandle handle) {
                        throw new IllegalStateException("broken on purpose");
                    }

                    @Override
                    public long tickIntervalMillis() {
                        return 2 * 86_400_000L;
                    }
                });
            }
        };
    }
}
