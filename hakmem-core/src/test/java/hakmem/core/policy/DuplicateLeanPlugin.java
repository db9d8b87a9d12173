package hakmem.core.policy;

import com.google.inject.Module;
import com.google.inject.util.Modules;
import hakmem.api.spi.PolicyPlugin;

/**
 * A second plugin claiming the id {@code lean}. {@link PolicySelectionTest} defines it afresh in a class loader of
 * its own (so it lands in an unnamed module, as a jar on the class path would) and lists it in that loader's
 * {@code META-INF/services}; it names public API types only.
 */
public final class DuplicateLeanPlugin implements PolicyPlugin {

    public DuplicateLeanPlugin() {
    }

    @Override
    public String id() {
        return "lean";
    }

    @Override
    public String description() {
        return "a second plugin that claims the id lean";
    }

    @Override
    public Module module() {
        return Modules.EMPTY_MODULE;
    }
}
