package hakmem.core.observe;

import hakmem.core.alloc.Figures;
import hakmem.core.alloc.HakmemAllocator;
import hakmem.core.jfr.ClassStatisticsEvent;
import hakmem.core.jfr.StatisticsEvent;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;

/**
 * Makes one allocator observable where Java services look: the JFR periodic events {@code hakmem.Statistics} and
 * {@code hakmem.ClassStatistics} (their hooks run only while a recording enables them) and, if asked, its MBean in
 * the platform MBean server. Everything is undone at the allocator's close. A failure to register is logged and
 * leaves the allocator working (observability never fails an open).
 */
public final class Observers {

    private static final System.Logger LOG = System.getLogger("hakmem");
    /** The open allocators the periodic events report on. */
    private static final List<HakmemAllocator> OPEN = new CopyOnWriteArrayList<>();
    /**
     * Whether the periodic hooks are registered: once per JVM, for all allocators (JFR keeps one schedule per event
     * type; hooks added and removed per allocator would lose a recording's period settings).
     */
    private static boolean hooked;

    private Observers() {
    }

    /** Registers the periodic JFR events and, with {@code jmx}, the MBean of {@code allocator}; undone at its close. */
    public static void attach(HakmemAllocator allocator, boolean jmx) {
        hookOnce();
        OPEN.add(allocator);
        allocator.onClose(() -> OPEN.remove(allocator));
        if (jmx) {
            registerMBean(allocator);
        }
    }

    /**
     * Registers the periodic hooks once, when JFR is initialized (a recording starts, now or later): until then
     * nothing of JFR is loaded beyond its listener, which saves about 2 MiB of RSS in a JVM that never records.
     */
    private static synchronized void hookOnce() {
        if (hooked) {
            return;
        }
        hooked = true;
        try {
            FlightRecorder.addListener(new FlightRecorderListener() {
                @Override
                public void recorderInitialized(FlightRecorder recorder) {
                    addPeriodicEvents();
                }
            });
        } catch (RuntimeException | LinkageError e) { // e.g. a JVM without JFR
            LOG.log(System.Logger.Level.WARNING, "hakmem: cannot listen for JFR; no periodic hakmem events", e);
        }
    }

    private static void addPeriodicEvents() {
        try {
            FlightRecorder.addPeriodicEvent(StatisticsEvent.class, () -> OPEN.forEach(Observers::statistics));
            FlightRecorder.addPeriodicEvent(ClassStatisticsEvent.class, () -> OPEN.forEach(Observers::classStatistics));
        } catch (RuntimeException | LinkageError e) {
            LOG.log(System.Logger.Level.WARNING, "hakmem: cannot register the JFR periodic events; none will be emitted", e);
        }
    }

    private static void registerMBean(HakmemAllocator allocator) {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = AllocatorMBean.name(allocator);
            server.registerMBean(new AllocatorMBean(allocator), name);
            allocator.onClose(() -> {
                try {
                    server.unregisterMBean(name);
                } catch (JMException e) {
                    LOG.log(System.Logger.Level.WARNING, "hakmem: cannot unregister MBean " + name, e);
                }
            });
        } catch (JMException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "hakmem: cannot register the allocator's MBean; it is not visible over JMX", e);
        }
    }

    private static void statistics(HakmemAllocator allocator) {
        StatisticsEvent e = new StatisticsEvent();
        if (!e.isEnabled()) {
            return;
        }
        Figures f = allocator.figures();
        e.allocator = allocator.id();
        e.policy = allocator.policy();
        e.mappedBytes = f.mappedBytes();
        e.committedBytes = f.committedBytes();
        e.liveBytes = f.liveBytes();
        e.metadataBytes = f.metadataBytes();
        e.cachedLargeBytes = f.cachedLargeBytes();
        e.superSlabs = f.superSlabs();
        e.heaps = f.heaps();
        try {
            e.residentBytes = allocator.residentBytes();
        } catch (IllegalStateException failed) { // closed meanwhile, or mincore failed
            e.residentBytes = -1;
        }
        e.commit();
    }

    private static void classStatistics(HakmemAllocator allocator) {
        if (!new ClassStatisticsEvent().isEnabled()) {
            return;
        }
        for (Figures.ClassFigures c : allocator.figures().classes()) {
            ClassStatisticsEvent e = new ClassStatisticsEvent();
            e.allocator = allocator.id();
            e.policy = allocator.policy();
            e.sizeClass = c.name();
            e.blockSize = c.blockSize();
            e.superSlabs = c.superSlabs();
            e.committedBytes = c.committedBytes();
            e.emptyCommittedBytes = c.emptyCommittedBytes();
            e.inUseBytes = c.inUseBytes();
            e.commit();
        }
    }
}
