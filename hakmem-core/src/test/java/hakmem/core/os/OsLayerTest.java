package hakmem.core.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hakmem.api.spi.Advice;
import hakmem.core.Blocks;
import hakmem.core.FaultyOs;
import hakmem.core.stats.Stat;
import hakmem.core.stats.Stats;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.junit.jupiter.api.Test;

class OsLayerTest {

    private final Stats stats = new Stats(List.of());
    private final OsLayer os = new OsLayer(new NativeOsBox(), stats);

    @Test
    void mmapTouchDontneedDropsResidentPagesToZero() {
        long len = 64 * os.pageSize();
        long a = os.map(len, 1 << 21, "test");
        assertThat(a & ((1 << 21) - 1)).isZero();
        assertThat(os.residentBytes(a, len)).isZero();
        for (long p = a; p < a + len; p += os.pageSize()) {
            Blocks.ALL.set(ValueLayout.JAVA_BYTE, p, (byte) 1);
        }
        assertThat(os.residentBytes(a, len)).isEqualTo(len);
        assertThat(os.decommit(a, len, Advice.DONTNEED)).isTrue();
        assertThat(os.residentBytes(a, len)).isZero();
        assertThat(Blocks.ALL.get(ValueLayout.JAVA_BYTE, a)).isZero(); // DONTNEED: zero-fill on next touch
        assertThat(os.decommit(a, len, Advice.FREE)).isTrue(); // MADV_FREE: accepted; pages may stay resident
        os.unmap(a, len);
        assertThat(stats.get(Stat.MMAP_CALLS)).isGreaterThanOrEqualTo(1);
        assertThat(stats.get(Stat.MADVISE_CALLS)).isEqualTo(2);
        assertThat(stats.get(Stat.MAPPED_BYTES)).isZero();
        assertThat(stats.get(Stat.MINCORE_CALLS)).isEqualTo(3);
    }

    @Test
    void guardRefusesRangesItDoesNotOwnOrThatAreUnaligned() {
        try (Arena arena = Arena.ofConfined()) {
            long foreign = arena.allocate(3 * os.pageSize(), os.pageSize()).address();
            assertThat(os.decommit(foreign, os.pageSize(), Advice.DONTNEED)).isFalse();
        }
        long len = 4 * os.pageSize();
        long a = os.map(len, os.pageSize(), "test");
        assertThat(os.decommit(a + 1, os.pageSize(), Advice.DONTNEED)).isFalse(); // unaligned
        assertThat(os.decommit(a, len + os.pageSize(), Advice.DONTNEED)).isFalse(); // runs past the mapping
        assertThat(os.decommit(a - os.pageSize(), os.pageSize(), Advice.DONTNEED)).isFalse();
        assertThat(stats.get(Stat.MADVISE_REFUSED)).isEqualTo(4);
        assertThat(stats.get(Stat.MADVISE_CALLS)).isZero();
        assertThat(os.decommitEnabled()).isTrue();
        assertThat(os.decommit(a + os.pageSize(), os.pageSize(), Advice.DONTNEED)).isTrue();
        assertThatThrownBy(() -> os.unmap(a + os.pageSize(), os.pageSize())).isInstanceOf(IllegalStateException.class);
        os.unmap(a, len);
        assertThat(os.decommit(a, os.pageSize(), Advice.DONTNEED)).as("unmapped: no longer owned").isFalse();
    }

    @Test
    void madviseFailureDisablesDecommitFailFastAndIsCounted() {
        FaultyOs faulty = new FaultyOs();
        OsLayer layer = new OsLayer(faulty, stats);
        long len = 8 * layer.pageSize();
        long a = layer.map(len, layer.pageSize(), "test");
        faulty.madviseErrno = 22; // EINVAL
        assertThat(layer.decommit(a, layer.pageSize(), Advice.DONTNEED)).isFalse();
        assertThat(layer.decommitEnabled()).isFalse();
        faulty.madviseErrno = 0;
        assertThat(layer.decommit(a, layer.pageSize(), Advice.DONTNEED)).as("stays disabled").isFalse();
        assertThat(faulty.madviseCalls.get()).isEqualTo(1);
        assertThat(stats.get(Stat.MADVISE_ERRORS)).isEqualTo(1);
        assertThat(stats.get(Stat.DECOMMIT_DISABLED)).isEqualTo(1);
        layer.unmap(a, len);
    }

    @Test
    void errnoNames() {
        assertThat(Errno.describe(12)).isEqualTo("ENOMEM (12)");
        assertThat(Errno.describe(4242)).isEqualTo("errno 4242");
    }
}
