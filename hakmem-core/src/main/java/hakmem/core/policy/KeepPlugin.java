package hakmem.core.policy;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import hakmem.api.spi.EmptySlab;
import hakmem.api.spi.PolicyPlugin;
import hakmem.api.spi.ReleaseHandle;
import hakmem.api.spi.ReleasePolicy;

/** The core's built-in policy {@code keep}: prewarms nothing and keeps everything it mapped until close. */
public final class KeepPlugin implements PolicyPlugin {

    @Override
    public String id() {
        return "keep";
    }

    @Override
    public String description() {
        return "built into the core: prewarms nothing, never decommits or unmaps until close";
    }

    @Override
    public Module module() {
        return new AbstractModule() {
            @Override
            protected void configure() {
                bind(ReleasePolicy.class).to(KeepPolicy.class);
            }
        };
    }

    /** Keeps everything. */
    static final class KeepPolicy implements ReleasePolicy {
        @Override
        public void onSlabEmpty(EmptySlab slab, boolean superSlabEmpty, ReleaseHandle handle) {
            // keep: empty slabs stay committed in their pool for reuse
        }

        @Override
        public long largeCacheBytes() {
            return Long.MAX_VALUE; // and freed large mappings stay cached for reuse
        }
    }
}
