package hakmem.core.policy;

import hakmem.api.PolicyInfo;
import hakmem.api.spi.PolicyPlugin;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ResolvedModule;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Discovers policy plugins with {@link ServiceLoader} and resolves an id to exactly one of them. Two plugins with one
 * id are an error (no "first one wins"); an unknown id lists every policy found and the module it came from.
 */
public final class PolicyRegistry {

    /** A plugin and where it came from. */
    public record Found(PolicyPlugin plugin, String module) {
        PolicyInfo info() {
            return new PolicyInfo(plugin.id(), plugin.description(), module);
        }
    }

    private final Map<String, Found> byId;

    private PolicyRegistry(Map<String, Found> byId) {
        this.byId = byId;
    }

    /** Loads every plugin visible to the context class loader (module path and class path). */
    public static PolicyRegistry discover() {
        List<Found> all = new ArrayList<>();
        for (PolicyPlugin p : ServiceLoader.load(PolicyPlugin.class)) {
            all.add(new Found(p, origin(p.getClass())));
        }
        return of(all);
    }

    static PolicyRegistry of(List<Found> all) {
        Map<String, List<Found>> grouped = all.stream()
                .collect(Collectors.groupingBy(f -> f.plugin().id(), LinkedHashMap::new, Collectors.toList()));
        List<String> clashes = new ArrayList<>();
        Map<String, Found> byId = new LinkedHashMap<>();
        grouped.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            if (e.getValue().size() > 1) {
                clashes.add("'" + e.getKey() + "' from " + e.getValue().stream().map(Found::module).toList());
            } else {
                byId.put(e.getKey(), e.getValue().getFirst());
            }
            if (!e.getKey().matches("[a-z0-9-]+")) {
                clashes.add("'" + e.getKey() + "' from " + e.getValue().getFirst().module() + " is not a valid id ([a-z0-9-]+)");
            }
        });
        if (!clashes.isEmpty()) {
            throw new IllegalStateException("hakmem: conflicting policy plugins: " + String.join("; ", clashes)
                    + ". Remove one of the jars from the module path.");
        }
        return new PolicyRegistry(byId);
    }

    static String origin(Class<?> type) {
        Module m = type.getModule();
        if (m.isNamed()) {
            return m.getName();
        }
        CodeSource cs = type.getProtectionDomain().getCodeSource();
        return "unnamed module" + (cs == null || cs.getLocation() == null ? "" : " (" + cs.getLocation().getPath() + ")");
    }

    /**
     * The plugin with this id; {@link IllegalArgumentException} naming the choice, every policy found, and what to do:
     * name a module on the module path that looks like a policy but provides no plugin, or else how to add the jar.
     */
    public Found get(String id, String chosenBy) {
        Found f = byId.get(id);
        if (f == null) {
            throw new IllegalArgumentException("hakmem: unknown policy '" + id + "' (chosen by " + chosenBy + "); policies found: "
                    + (byId.isEmpty() ? "none" : byId.values().stream().map(x -> x.plugin().id() + " (" + x.module() + ")")
                    .collect(Collectors.joining(", "))) + ". " + hint(withoutProvider(ModuleLayer.boot())));
        }
        return f;
    }

    /** What to do about a missing policy, given the modules that require the API but provide no plugin. */
    static String hint(List<String> withoutProvider) {
        if (!withoutProvider.isEmpty()) {
            return "On the module path but providing no " + PolicyPlugin.class.getName() + ": "
                    + String.join(", ", withoutProvider) + ". If the policy is there, add `provides "
                    + PolicyPlugin.class.getName() + " with <its PolicyPlugin class>;` to its module-info.java "
                    + "(a named module's META-INF/services is ignored).";
        }
        return "Put the policy's jar on the module path: ./hakmem --plugin-path path/to/policy.jar <command> "
                + "(or HAKMEM_PLUGIN_PATH), java -p ... for your own application.";
    }

    /** hakmem's own modules that require the API and are no policy: the test kit, the Netty adapter. */
    static final Set<String> NOT_POLICIES = Set.of("hakmem.testkit", "hakmem.netty");

    /**
     * Modules of {@code layer} (and its parents) that look like policies but provide none: explicit modules that
     * require {@code hakmem.api}, provide no {@link PolicyPlugin} and use none (a user of the SPI, such as the CLI,
     * is no policy; nor are hakmem's {@link #NOT_POLICIES}), each with where it was loaded from.
     */
    static List<String> withoutProvider(ModuleLayer layer) {
        List<String> out = new ArrayList<>();
        Set<ModuleLayer> seen = new HashSet<>();
        java.util.ArrayDeque<ModuleLayer> todo = new java.util.ArrayDeque<>(List.of(layer));
        while (!todo.isEmpty()) {
            ModuleLayer l = todo.pop();
            if (!seen.add(l)) {
                continue;
            }
            todo.addAll(l.parents());
            for (ResolvedModule m : l.configuration().modules()) {
                ModuleDescriptor d = m.reference().descriptor();
                boolean requiresApi = d.requires().stream().anyMatch(r -> r.name().equals("hakmem.api"));
                boolean provides = d.provides().stream().anyMatch(p -> p.service().equals(PolicyPlugin.class.getName()));
                boolean uses = d.uses().contains(PolicyPlugin.class.getName());
                if (!d.isAutomatic() && requiresApi && !provides && !uses && !NOT_POLICIES.contains(d.name())) {
                    out.add(d.name() + m.reference().location().map(u -> " (" + u.getPath() + ")").orElse(""));
                }
            }
        }
        out.sort(null);
        return out;
    }

    public List<Found> all() {
        return List.copyOf(byId.values());
    }

    public List<PolicyInfo> infos() {
        return byId.values().stream().map(Found::info).sorted(Comparator.comparing(PolicyInfo::id)).toList();
    }
}
