package hakmem.bench.subject;

import hakmem.api.Allocator;
import hakmem.api.AllocatorStats;
import com.google.inject.AbstractModule;
import hakmem.api.Hakmem;
import hakmem.api.spi.AllocatorProvider;
import hakmem.api.spi.Clock;
import hakmem.api.spi.OsBox;
import hakmem.bench.sim.SimClock;
import hakmem.bench.sim.SimConfig;
import hakmem.bench.sim.SimOsBox;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A hakmem allocator opened with one policy; options come from the subject's inline options, which beat
 * -Dhakmem.* and HAKMEM_* as usual.
 */
final class HakmemSubject extends Subject {
    private final SubjectSpec spec;
    private final Allocator allocator;
    private final SimClock clock;
    private final SimOsBox os;

    HakmemSubject(SubjectSpec spec) {
        this.spec = spec;
        this.allocator = Hakmem.open(spec.id(), options(spec, System.getProperty("hakmem.jmx"), System.getenv("HAKMEM_JMX")));
        this.clock = null;
        this.os = null;
    }

    /** On the simulated OS: the OS box and the clock box are replaced through the SPI's override modules. */
    HakmemSubject(SubjectSpec spec, SimConfig sim) {
        this.spec = spec;
        this.clock = new SimClock();
        this.os = new SimOsBox(sim, clock);
        SimClock c = clock;
        SimOsBox o = os;
        this.allocator = AllocatorProvider.load().open(spec.id(),
                options(spec, System.getProperty("hakmem.jmx"), System.getenv("HAKMEM_JMX")), List.of(new AbstractModule() {
            @Override
            protected void configure() {
                bind(OsBox.class).toInstance(o);
                bind(Clock.class).toInstance(c);
            }
        }));
    }

    @Override
    public SimClock simClock() {
        return clock;
    }

    /**
     * The subject's options, plus {@code jmx=0} unless the subject, {@code -Dhakmem.jmx} or {@code HAKMEM_JMX} says
     * otherwise: the MBean would create the JVM's platform MBean server (about 4.5 MiB of RSS) in policy runs only,
     * and peers register nothing, so peak RSS would compare JVM infrastructure rather than allocators.
     */
    static Map<String, String> options(SubjectSpec spec, String property, String env) {
        if (spec.options().containsKey("jmx") || property != null || env != null) {
            return spec.options();
        }
        Map<String, String> all = new LinkedHashMap<>(spec.options());
        all.put("jmx", "0");
        return all;
    }

    @Override
    public String id() {
        return spec.label();
    }

    @Override
    public String kind() {
        return "policy";
    }

    @Override
    public long malloc(long size) {
        return allocator.malloc(size);
    }

    @Override
    public void free(long handle) {
        allocator.free(handle);
    }

    @Override
    public long residentBytes() {
        return allocator.residentBytes();
    }

    @Override
    public AllocatorStats stats() {
        return allocator.stats();
    }

    @Override
    public String detail() {
        return "hakmem policy " + allocator.policy() + (spec.options().isEmpty() ? "" : " with " + spec.options())
                + (os == null ? "" : " on the simulated OS " + os.config());
    }

    @Override
    public void close() {
        allocator.close();
        if (os != null) {
            os.release();
        }
    }
}
