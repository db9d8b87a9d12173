package hakmem.core.trace;

import static org.assertj.core.api.Assertions.assertThat;

import hakmem.api.Allocator;
import hakmem.api.Hakmem;
import hakmem.api.OptionValue;
import hakmem.core.alloc.HakmemAllocator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trace option: unset, the allocator is the plain one (its hot path untouched); set, every call is recorded. */
class TraceOptionTest {

    @Test
    void withoutTheOptionTheAllocatorIsThePlainOne() {
        try (Allocator a = Hakmem.open("speed")) {
            assertThat(a).isExactlyInstanceOf(HakmemAllocator.class);
            assertThat(a.options()).extracting(OptionValue::name).contains("trace");
        }
    }

    @Test
    void withTheOptionEveryCallGoesToTheTraceAndCloseCompletesTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("t.hkt");
        try (Allocator a = Hakmem.open("speed", Map.of("trace", file.toString()))) {
            assertThat(a).isExactlyInstanceOf(TracingAllocator.class);
            assertThat(a.policy()).isEqualTo("speed");
            assertThat(a.options()).filteredOn(o -> o.name().equals("trace")).extracting(OptionValue::value)
                    .containsExactly(file.toString());
            long b = a.malloc(100);
            assertThat(a.usableSize(b)).isGreaterThanOrEqualTo(100);
            a.free(b);
        }
        byte[] bytes = Files.readAllBytes(file);
        assertThat(new String(bytes, 0, 8, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("HKMTRACE");
        assertThat(bytes[8] << 8 | bytes[9]).isEqualTo(TraceFormat.VERSION);
        // the last record is END: kind 3, then 2 events, 1 thread, 1 chunk (one-byte varints)
        assertThat(java.util.Arrays.copyOfRange(bytes, bytes.length - 4, bytes.length)).containsExactly(3, 2, 1, 1);
    }
}
