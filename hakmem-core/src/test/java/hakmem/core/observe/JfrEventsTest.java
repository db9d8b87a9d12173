package hakmem.core.observe;

import static hakmem.core.observe.Open.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import hakmem.core.Blocks;
import hakmem.core.FaultyOs;
import hakmem.core.alloc.HakmemAllocator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JFR events, recorded and read back with {@code jdk.jfr.consumer}. */
class JfrEventsTest {

    @TempDir
    Path dir;

    private static Recording start() {
        Recording r = new Recording();
        for (String name : List.of("hakmem.Decommit", "hakmem.Unmap", "hakmem.Prewarm", "hakmem.DecommitDisabled",
                "hakmem.Trim", "hakmem.SoftLimit")) {
            r.enable(name).withThreshold(Duration.ZERO);
        }
        r.enable("hakmem.Statistics").withPeriod(Duration.ofMillis(50));
        r.enable("hakmem.ClassStatistics").withPeriod(Duration.ofMillis(50));
        r.start();
        return r;
    }

    private List<RecordedEvent> stop(Recording r, long allocatorId) throws Exception {
        r.stop();
        Path file = dir.resolve("hakmem-" + allocatorId + ".jfr");
        r.dump(file);
        r.close();
        assertThat(Files.size(file)).isPositive();
        return RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().startsWith("hakmem."))
                .filter(e -> e.getLong("allocator") == allocatorId)
                .toList();
    }

    private static List<RecordedEvent> named(List<RecordedEvent> events, String name) {
        return events.stream().filter(e -> e.getEventType().getName().equals(name)).toList();
    }

    @Test
    void osDecisionsAndStatisticsAreRecorded() throws Exception {
        long id;
        Recording r;
        try (HakmemAllocator a = Open.open("lean", Map.of("ss.mem.lean.decommit", "DONTNEED"))) {
            r = start(); // after open, as jcmd JFR.start on a running service
            id = a.id();
            List<Long> blocks = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) { // ~5 MiB of 256-byte blocks
                long p = a.malloc(256);
                Blocks.fill(p, 256);
                blocks.add(p);
            }
            long big = a.malloc(3 * MIB);
            Thread.sleep(200); // a few periods of the statistics events with the blocks live
            for (long p : blocks) {
                a.free(p);
            }
            a.free(big);
            a.trim();
        }
        List<RecordedEvent> events = stop(r, id);
        Map<String, Long> byName = events.stream().collect(Collectors.groupingBy(e -> e.getEventType().getName(),
                Collectors.counting()));
        assertThat(byName).containsKeys("hakmem.Decommit", "hakmem.Unmap", "hakmem.Trim", "hakmem.Statistics",
                "hakmem.ClassStatistics");

        RecordedEvent decommit = named(events, "hakmem.Decommit").getFirst();
        assertThat(decommit.getString("policy")).isEqualTo("lean");
        assertThat(decommit.getString("sizeClass")).matches("C\\d+|large");
        assertThat(decommit.getLong("bytes")).isPositive();
        assertThat(decommit.getString("advice")).isEqualTo("DONTNEED");
        assertThat(decommit.getDuration().isNegative()).isFalse();

        assertThat(named(events, "hakmem.Unmap")).anySatisfy(e -> {
            assertThat(e.getString("sizeClass")).isEqualTo("large");
            assertThat(e.getLong("bytes")).isGreaterThanOrEqualTo(3 * MIB);
        });
        RecordedEvent trim = named(events, "hakmem.Trim").getFirst();
        assertThat(trim.getString("cause")).isEqualTo("call");
        assertThat(trim.getLong("decommittedBytes") + trim.getLong("unmappedBytes")).isPositive();

        List<RecordedEvent> stats = named(events, "hakmem.Statistics");
        RecordedEvent busiest = stats.stream().max((x, y) -> Long.compare(x.getLong("liveBytes"), y.getLong("liveBytes"))).orElseThrow();
        assertThat(busiest.getLong("mappedBytes")).isGreaterThanOrEqualTo(8 * MIB); // 5 MiB of slabs + 3 MiB block
        assertThat(busiest.getLong("committedBytes")).isBetween(busiest.getLong("liveBytes"), busiest.getLong("mappedBytes"));
        assertThat(busiest.getLong("liveBytes")).isGreaterThanOrEqualTo(20_000 * 256 + 3 * MIB);
        assertThat(busiest.getLong("residentBytes")).isGreaterThanOrEqualTo(20_000 * 256); // the filled blocks
        assertThat(busiest.getLong("metadataBytes")).isPositive();
        assertThat(busiest.getLong("superSlabs")).isPositive();
        assertThat(named(events, "hakmem.ClassStatistics")).anySatisfy(e -> {
            assertThat(e.getString("sizeClass")).isNotBlank();
            assertThat(e.getLong("blockSize")).isEqualTo(256);
            assertThat(e.getLong("inUseBytes")).isGreaterThanOrEqualTo(4 * MIB);
        });
    }

    @Test
    void prewarmAndAMadviseFailureAreRecorded() throws Exception {
        FaultyOs os = new FaultyOs();
        os.madviseErrno = 22; // EINVAL on every madvise
        Recording r = start();
        long id;
        try (HakmemAllocator a = Open.open("speed", Map.of(), os.module())) {
            id = a.id();
            List<Long> blocks = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                blocks.add(a.malloc(1024));
            }
            for (long p : blocks) {
                a.free(p);
            }
            a.trim(); // decommit fails: disabled from now on; superslabs are still unmapped
            assertThat(a.stats().counter("decommit_disabled")).isEqualTo(1);
            long p = a.malloc(1024); // still usable
            a.free(p);
            assertThat(a.audit()).isEmpty();
        }
        List<RecordedEvent> events = stop(r, id);
        List<RecordedEvent> prewarm = named(events, "hakmem.Prewarm");
        assertThat(prewarm).as("speed prewarms").isNotEmpty();
        assertThat(prewarm.getFirst().getLong("superSlabs")).isPositive();
        assertThat(prewarm.getFirst().getLong("bytes")).isEqualTo(prewarm.getFirst().getLong("superSlabs") * 2 * MIB);
        List<RecordedEvent> disabled = named(events, "hakmem.DecommitDisabled");
        assertThat(disabled).hasSize(1);
        assertThat(disabled.getFirst().getString("error")).contains("22");
        assertThat(disabled.getFirst().getLong("bytes")).isPositive();
        assertThat(disabled.getFirst().getString("advice")).isEqualTo("DONTNEED");
    }

    @Test
    void aRecordingStartedBeforeOpenRecordsTheStatistics() throws Exception {
        Recording r = start(); // as -XX:StartFlightRecording: before any allocator registered the event classes
        long id;
        try (HakmemAllocator a = Open.open("keep", Map.of())) {
            id = a.id();
            long p = a.malloc(64);
            Thread.sleep(300);
            a.free(p);
        }
        List<RecordedEvent> stats = named(stop(r, id), "hakmem.Statistics");
        assertThat(stats).as("every 50 ms for 300 ms").hasSizeGreaterThanOrEqualTo(2);
        assertThat(stats).allSatisfy(e -> assertThat(e.getString("policy")).isEqualTo("keep"));
    }

    @Test
    void theEventTypesAreInTheHakmemCategory() {
        Recording r = start(); // registers the event classes
        try (HakmemAllocator a = Open.open("keep", Map.of())) {
            a.trim();
        } finally {
            r.close();
        }
        List<EventType> ours = FlightRecorder.getFlightRecorder().getEventTypes().stream()
                .filter(t -> t.getName().startsWith("hakmem.")).toList();
        assertThat(ours).extracting(EventType::getName).contains("hakmem.Statistics", "hakmem.Trim");
        assertThat(ours).allSatisfy(t -> assertThat(t.getCategoryNames()).containsExactly("hakmem"));
    }
}
