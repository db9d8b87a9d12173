package hakmem.bench;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ResolvedModule;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Where a module was loaded from: the jar or directory on the module path, shown relative to the working directory. */
final class Origins {

    private Origins() {
    }

    /**
     * The jar or directory of a module of the boot layer, or empty (an unnamed module's name, {@code unnamed module
     * (path)}, already says where it came from).
     */
    static Optional<String> location(String module) {
        return ModuleLayer.boot().configuration().findModule(module)
                .flatMap(m -> m.reference().location())
                .filter(u -> "file".equals(u.getScheme()))
                .map(Origins::display);
    }

    /** hakmem's own modules that require the API and are no policy: the test kit, the Netty adapter. */
    static final java.util.Set<String> NOT_POLICIES = java.util.Set.of("hakmem.testkit", "hakmem.netty");

    /**
     * Modules on the module path that look like policies but provide none: explicit modules that require
     * {@code hakmem.api}, neither provide nor use {@code PolicyPlugin}, and are not one of {@link #NOT_POLICIES}. Usually a
     * module-info.java without its {@code provides hakmem.api.spi.PolicyPlugin with ...;} line.
     */
    static List<String> withoutPolicyProvider() {
        String spi = "hakmem.api.spi.PolicyPlugin";
        List<String> out = new ArrayList<>();
        for (ResolvedModule m : ModuleLayer.boot().configuration().modules()) {
            ModuleDescriptor d = m.reference().descriptor();
            if (!d.isAutomatic() && d.requires().stream().anyMatch(r -> r.name().equals("hakmem.api"))
                    && d.provides().stream().noneMatch(p -> p.service().equals(spi)) && !d.uses().contains(spi)
                    && !NOT_POLICIES.contains(d.name())) {
                out.add(d.name() + m.reference().location().map(u -> " (" + display(u) + ")").orElse(""));
            }
        }
        out.sort(null);
        return out;
    }

    private static String display(URI uri) {
        Path p = Path.of(uri).toAbsolutePath().normalize();
        Path cwd = Path.of("").toAbsolutePath();
        return p.startsWith(cwd) ? cwd.relativize(p).toString() : p.toString();
    }
}
