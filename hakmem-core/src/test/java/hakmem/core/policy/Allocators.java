package hakmem.core.policy;

import com.google.inject.Module;
import hakmem.api.Allocator;
import hakmem.api.AllocatorStats;
import hakmem.api.spi.AllocatorProvider;
import hakmem.api.spi.OptionSource;
import hakmem.api.spi.OsBox;
import hakmem.api.spi.StatsSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Opening allocators for policy tests, isolated from the real environment. */
final class Allocators {

    static final long MIB = 1L << 20;

    private Allocators() {
    }

    static AllocatorProvider provider() {
        return AllocatorProvider.load();
    }

    /** Opens with an empty option source: only {@code options} configure it. */
    static Allocator open(String policyId, Map<String, String> options) {
        return open(policyId, options, MapOptionSource.EMPTY);
    }

    static Allocator open(String policyId, Map<String, String> options, OptionSource source) {
        return provider().open(policyId, options, List.of(binder -> binder.bind(OptionSource.class).toInstance(source)));
    }

    /** Opens with {@code source} and a logger that records open's warnings. */
    static Allocator open(String policyId, Map<String, String> options, OptionSource source, System.Logger log) {
        return provider().open(policyId, options, List.of(binder -> binder.bind(OptionSource.class).toInstance(source),
                binder -> binder.bind(System.Logger.class).toInstance(log)));
    }

    /** Opens with an empty option source, a shadow OS box and a sink that keeps every stats report. */
    static Allocator open(String policyId, Map<String, String> options, OsBox os, List<Report> reports) {
        Map<String, String> all = new java.util.HashMap<>(options);
        all.put("ss.os.stats", "1");
        StatsSink sink = (stats, when) -> reports.add(new Report(stats, when));
        List<Module> overrides = new ArrayList<>();
        overrides.add(binder -> binder.bind(OptionSource.class).toInstance(MapOptionSource.EMPTY));
        overrides.add(binder -> binder.bind(OsBox.class).toInstance(os));
        overrides.add(binder -> binder.bind(StatsSink.class).toInstance(sink));
        return provider().open(policyId, Map.copyOf(all), overrides);
    }

    static List<Report> reports() {
        return new CopyOnWriteArrayList<>();
    }

    /** One report the allocator sent to its stats sink. */
    record Report(AllocatorStats stats, String when) {
    }
}
