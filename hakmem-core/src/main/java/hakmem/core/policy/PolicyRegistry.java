package hakmem.core.policy;

import hakmem.api.PolicyInfo;
import hakmem.api.spi.PolicyPlugin;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
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

    /** The plugin with this id; {@link IllegalArgumentException} naming the choice and every policy found. */
    public Found get(String id, String chosenBy) {
        Found f = byId.get(id);
        if (f == null) {
            throw new IllegalArgumentException("hakmem: unknown policy '" + id + "' (chosen by " + chosenBy + "); policies found: "
                    + (byId.isEmpty() ? "none" : byId.values().stream().map(x -> x.plugin().id() + " (" + x.module() + ")")
                    .collect(Collectors.joining(", "))) + ". Put the policy's jar on the module path.");
        }
        return f;
    }

    public List<Found> all() {
        return List.copyOf(byId.values());
    }

    public List<PolicyInfo> infos() {
        return byId.values().stream().map(Found::info).sorted(Comparator.comparing(PolicyInfo::id)).toList();
    }
}
