package hakmem.core.alloc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.AbstractModule;
import hakmem.api.Allocator;
import hakmem.api.AllocatorStats;
import hakmem.api.spi.AllocatorProvider;
import hakmem.api.spi.StatsSink;
import hakmem.core.stats.StderrStatsSink;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** HAKMEM_SS_OS_STATS: the stats sink box is called at close, only when the gate is on. */
class StatsReportTest {

    static final class Capture implements StatsSink {
        final List<String> whens = new ArrayList<>();
        AllocatorStats last;

        @Override
        public synchronized void report(AllocatorStats stats, String when) {
            whens.add(when);
            last = stats;
        }
    }

    private static AbstractModule bind(StatsSink sink) {
        return new AbstractModule() {
            @Override
            protected void configure() {
                bind(StatsSink.class).toInstance(sink);
            }
        };
    }

    @Test
    void osStatsGateReportsAtClose() {
        Capture sink = new Capture();
        Allocator a = AllocatorProvider.load().open("keep", Map.of("ss.os.stats", "1"), List.of(bind(sink)));
        a.free(a.malloc(100));
        a.close();
        assertThat(sink.whens).containsExactly("close");
        assertThat(sink.last.counter("mmap_calls")).isPositive();
        assertThat(sink.last.count("mapped_bytes").current()).isZero();
    }

    @Test
    void gateOffReportsNothing() {
        Capture sink = new Capture();
        Allocator a = AllocatorProvider.load().open("keep", Map.of(), List.of(bind(sink)));
        a.close();
        assertThat(sink.whens).isEmpty();
    }

    @Test
    void defaultSinkPrintsOneLinePerStatistic() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Allocator a = AllocatorProvider.load().open("keep", Map.of(), List.of());
        AllocatorStats st = a.stats();
        a.close();
        new StderrStatsSink(new PrintStream(out, true, StandardCharsets.UTF_8)).report(st, "close");
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(st.counts().size() + st.counters().size());
        assertThat(lines).anyMatch(l -> l.equals("[hakmem-stats] close policy=keep mmap_calls 0"));
    }

    @Test
    void optionTableIsExposed() {
        try (Allocator a = AllocatorProvider.load().open("keep", Map.of("ss.mem.lean.delay.ms", "25"), List.of())) {
            assertThat(a.options()).anySatisfy(o -> {
                assertThat(o.name()).isEqualTo("ss.mem.lean.delay.ms");
                assertThat(o.value()).isEqualTo("25");
                assertThat(o.source()).isEqualTo("api");
                assertThat(o.env()).isEqualTo("HAKMEM_SS_MEM_LEAN_DELAY_MS");
            });
            assertThat(a.policy()).isEqualTo("keep");
        }
    }
}
