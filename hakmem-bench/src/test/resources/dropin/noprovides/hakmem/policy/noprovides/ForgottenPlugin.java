package hakmem.policy.noprovides;

import com.google.inject.Module;
import hakmem.api.spi.PolicyPlugin;
import hakmem.api.spi.ReleasePolicy;

/** A plugin no ServiceLoader finds: module-info.java has no provides line (META-INF/services does not count). */
public final class ForgottenPlugin implements PolicyPlugin {

    /** Public, as a plugin must be. */
    public ForgottenPlugin() {
    }

    @Override
    public String id() {
        return "forgotten";
    }

    @Override
    public String description() {
        return "never found";
    }

    @Override
    public Module module() {
        return binder -> binder.bind(ReleasePolicy.class).toInstance((slab, superSlabEmpty, handle) -> { });
    }
}
