package hakmem.core;

import com.google.inject.AbstractModule;
import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.ProvisionException;
import com.google.inject.util.Modules;
import hakmem.api.Allocator;
import hakmem.api.OptionValue;
import hakmem.api.PolicyInfo;
import hakmem.api.spi.AllocatorProvider;
import hakmem.api.spi.Clock;
import hakmem.api.spi.OptionSource;
import hakmem.api.spi.OptionSpec;
import hakmem.api.spi.OptionValues;
import hakmem.api.spi.OsBox;
import hakmem.api.spi.ReleasePolicy;
import hakmem.api.spi.StatsSink;
import hakmem.core.alloc.HakmemAllocator;
import hakmem.core.option.CoreOptions;
import hakmem.core.observe.Observers;
import hakmem.core.option.OptionTable;
import hakmem.core.os.OsLayer;
import hakmem.core.policy.PolicyRegistry;
import hakmem.core.stats.Stats;
import hakmem.core.trace.TraceWriter;
import hakmem.core.trace.TracingAllocator;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Bootstrap. At {@code open}: discover the policy plugins, resolve the option table through the bound option source,
 * choose the policy (explicit id, then {@code hakmem.policy}, then the legacy gate {@code ss.mem.lean}, then
 * {@code balanced}), then build the allocator's injector from the core's box modules (parent, overridable) and the
 * chosen plugin's module (child). The choice is made before the policy's injector exists; modules hold no {@code if}.
 * A bad value of a core option or of the chosen plugin's options fails open; the table's warnings (misspelled names,
 * other plugins' bad values) are logged once per open, as one record.
 */
public final class HakmemProvider implements AllocatorProvider {

    static final String DEFAULT_POLICY = "balanced";

    static {
        // Guice's generated fast-classes live in an unnamed module and cannot reach classes of packages that are
        // only opened (not exported) to Guice, as the core's and the policy plugins' are; plain reflection can.
        // Set before Guice's first use; a value the user chose is kept.
        if (System.getProperty("guice_bytecode_gen_option") == null) {
            System.setProperty("guice_bytecode_gen_option", "DISABLED");
        }
    }

    @Override
    public Allocator open(String policyId, Map<String, String> options, List<Module> overrides) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(overrides, "overrides");
        PolicyRegistry registry = PolicyRegistry.discover();
        Injector boxes = boxes(overrides);
        OptionTable.Resolved resolved = table(registry).resolve(boxes.getInstance(OptionSource.class), options);
        Choice choice = choose(policyId, resolved);
        String id = choice.id();
        PolicyRegistry.Found found = registry.get(id, choice.by());
        try {
            resolved.requireValid(id);
        } catch (IllegalArgumentException bad) {
            throw new IllegalArgumentException("hakmem: policy '" + id + "' (" + found.module() + "): " + bad.getMessage(), bad);
        }
        System.Logger log = boxes.getInstance(System.Logger.class);
        List<String> warnings = resolved.warnings(id);
        if (!warnings.isEmpty()) { // once per open: the table was resolved once
            log.log(System.Logger.Level.WARNING,
                    "hakmem: " + String.join("\nhakmem: ", warnings));
        }
        String chosenBy = choice.by();

        Stats stats = new Stats(found.plugin().counters());
        Injector injector;
        ReleasePolicy policy;
        try {
            injector = boxes.createChildInjector(new AbstractModule() {
                @Override
                protected void configure() {
                    bind(OptionValues.class).toInstance(resolved);
                }
            }, found.plugin().module());
            policy = injector.getInstance(ReleasePolicy.class);
        } catch (CreationException | ProvisionException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            if (root instanceof IllegalArgumentException bad) { // a plugin rejected an option value
                throw new IllegalArgumentException("hakmem: policy '" + id + "' (" + found.module() + "): "
                        + bad.getMessage(), e);
            }
            throw new IllegalStateException("hakmem: policy '" + id + "' (" + found.module() + ") failed to start: "
                    + e.getMessage(), e);
        }
        OsLayer os = new OsLayer(boxes.getInstance(OsBox.class), stats);
        HakmemAllocator allocator = new HakmemAllocator(id, policy, os, stats, boxes.getInstance(StatsSink.class),
                resolved.flag(CoreOptions.OS_STATS), resolved.rows(), resolved.bytes(CoreOptions.SOFT_LIMIT_MB),
                boxes.getInstance(Clock.class));
        Observers.attach(allocator, resolved.flag(CoreOptions.JMX));
        if (log.isLoggable(System.Logger.Level.DEBUG)) {
            log.log(System.Logger.Level.DEBUG, "hakmem: policy " + id + " (" + found.module() + ", chosen by " + chosenBy
                    + "); options: " + resolved.rows().stream().map(r -> r.name() + "=" + r.value() + " [" + r.source() + "]")
                    .collect(Collectors.joining(", ")));
        }
        String trace = resolved.text(CoreOptions.TRACE);
        if (trace != null && !trace.isBlank()) { // only then: the untraced hot path stays the plain allocator's
            try {
                return new TracingAllocator(allocator, TraceWriter.open(Path.of(trace), "policy=" + id + " java="
                        + Runtime.version() + " pid=" + ProcessHandle.current().pid()));
            } catch (RuntimeException e) {
                allocator.close();
                throw new IllegalArgumentException("hakmem: option " + CoreOptions.TRACE + " (" + resolved.source(CoreOptions.TRACE)
                        + "): " + e.getMessage(), e);
            }
        }
        return allocator;
    }

    @Override
    public List<PolicyInfo> policies() {
        return PolicyRegistry.discover().infos();
    }

    /** The rows as {@code open(null, options)} sees them; fails on a bad value as that open would. */
    @Override
    public List<OptionValue> options(Map<String, String> options) {
        PolicyRegistry registry = PolicyRegistry.discover();
        OptionTable.Resolved resolved = table(registry).resolve(boxes(List.of()).getInstance(OptionSource.class), options);
        resolved.requireValid(choose(null, resolved).id());
        return resolved.rows();
    }

    @Override
    public List<String> optionWarnings(Map<String, String> options) {
        PolicyRegistry registry = PolicyRegistry.discover();
        OptionTable.Resolved resolved = table(registry).resolve(boxes(List.of()).getInstance(OptionSource.class), options);
        return resolved.warnings(choose(null, resolved).id());
    }

    /** The chosen policy id and what chose it. */
    private record Choice(String id, String by) {
    }

    /** Explicit id, then option {@code policy}, then the legacy gate {@code ss.mem.lean}, then the default. */
    private static Choice choose(String policyId, OptionTable.Resolved resolved) {
        if (policyId != null) {
            return new Choice(policyId, "the caller");
        }
        if (resolved.isSet(CoreOptions.POLICY)) {
            return new Choice(resolved.text(CoreOptions.POLICY), resolved.source(CoreOptions.POLICY));
        }
        if (resolved.isSet(CoreOptions.LEAN)) {
            return new Choice(resolved.flag(CoreOptions.LEAN) ? "lean" : "speed",
                    "legacy gate " + resolved.source(CoreOptions.LEAN) + "=" + resolved.text(CoreOptions.LEAN));
        }
        return new Choice(DEFAULT_POLICY, "default");
    }

    @Override
    public List<OptionSpec> coreOptions() {
        return CoreOptions.SPECS;
    }

    private static Injector boxes(List<Module> overrides) {
        return Guice.createInjector(Modules.override(new BoxModule()).with(overrides));
    }

    private static OptionTable table(PolicyRegistry registry) {
        OptionTable table = new OptionTable();
        for (PolicyRegistry.Found f : registry.all()) {
            for (OptionSpec spec : f.plugin().options()) {
                table.add(spec, f.plugin().id());
            }
        }
        return table;
    }
}
