package hakmem.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import hakmem.api.spi.Advice;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.ConcurrentSkipListMap;
import org.junit.jupiter.api.Test;

/** The contract tests are only as good as their watcher: it must see the violations it exists to catch. */
class ShadowOsBoxTest {

    static final long MIB = 1 << 20;

    @Test
    void aReleaseOverALiveBlockOrUnownedMemoryIsAViolation() {
        ConcurrentSkipListMap<Long, Long> live = new ConcurrentSkipListMap<>();
        ShadowOsBox os = new ShadowOsBox(live);
        long page = os.pageSize();
        long a = os.mmap(2 * MIB);
        assertThat(a).isPositive();
        assertThat(os.mappedBytes()).isEqualTo(2 * MIB);

        MemorySegment.ofAddress(a).reinterpret(2 * MIB).set(ValueLayout.JAVA_BYTE, page + 100, (byte) 7);
        assertThat(os.residentPages(a, 2 * MIB)).isPositive();
        live.put(a + page + 100, 16L);

        assertThat(os.madvise(a, page, Advice.DONTNEED)).isZero();
        assertThat(os.violations()).as("a page without live blocks").isEmpty();

        assertThat(os.madvise(a + page, page, Advice.FREE)).as("refused, not made").isEqualTo(-22);
        assertThat(os.violations()).singleElement().asString().contains("overlaps the live block");
        assertThat(MemorySegment.ofAddress(a).reinterpret(2 * MIB).get(ValueLayout.JAVA_BYTE, page + 100)).isEqualTo((byte) 7);

        assertThat(os.madvise(a + 2 * MIB, page, Advice.DONTNEED)).isEqualTo(-22); // not ours: never advised
        assertThat(os.violations()).hasSize(2).last().asString().contains("not wholly inside");
        assertThat(os.munmap(a + page, page)).isEqualTo(-22);
        assertThat(os.violations()).hasSize(3).last().asString().contains("munmap").contains("overlaps the live block");

        live.clear();
        assertThat(os.munmap(a + MIB, MIB)).isZero(); // a tail: the shadow splits its bookkeeping
        assertThat(os.mappedBytes()).isEqualTo(MIB);
        assertThat(os.munmap(a, MIB)).isZero();
        assertThat(os.mappedBytes()).isZero();
        assertThat(os.violations()).hasSize(3);
        assertThat(os.mmaps()).isEqualTo(1);
        assertThat(os.munmaps()).isEqualTo(2);
        assertThat(os.madvises()).isEqualTo(1);
    }
}
