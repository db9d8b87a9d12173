package hakmem.core.alloc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hakmem.api.Allocator;
import hakmem.api.spi.AllocatorProvider;
import hakmem.core.Blocks;
import hakmem.core.FaultyOs;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AllocatorApiTest {

    private Allocator a;

    @BeforeEach
    void open() {
        a = AllocatorProvider.load().open("keep", Map.of(), List.of());
    }

    @AfterEach
    void close() {
        a.close();
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 7, 8, 9, 15, 16, 17, 100, 1000, 1024, 1025, 1280, 1281, 4096, 20000, 32768, 32769, 65536,
            100_000, 1 << 20, 3 << 20})
    void mallocReturnsAligned_usable_writableMemory(long size) {
        long p = a.malloc(size);
        assertThat(p).isNotZero();
        assertThat(p & 15).isZero();
        assertThat(a.usableSize(p)).isGreaterThanOrEqualTo(Math.max(size, 1));
        Blocks.fill(p, Math.max(size, 1));
        Blocks.check(p, Math.max(size, 1));
        a.free(p);
    }

    @Test
    void tinySizesUseHakmemClasses() {
        assertThat(a.usableSize(a.malloc(1))).isEqualTo(16);
        assertThat(a.usableSize(a.malloc(16))).isEqualTo(16);
        assertThat(a.usableSize(a.malloc(17))).isEqualTo(32);
        assertThat(a.usableSize(a.malloc(513))).isEqualTo(1024);
        assertThat(a.usableSize(a.malloc(1025))).isEqualTo(1280);
        assertThat(a.usableSize(a.malloc(32768))).isEqualTo(32768);
        assertThat(a.usableSize(a.malloc(32769))).isEqualTo(40960); // the first medium class
        assertThat(a.usableSize(a.malloc(300_000))).isEqualTo(320 * 1024);
        assertThat(a.usableSize(a.malloc(1 << 20))).isEqualTo(1 << 20); // the largest class
        assertThat(a.usableSize(a.malloc((1 << 20) + 1))).isEqualTo((1 << 20) + 64 * 1024); // the large heap: 64 KiB units
        MemorySegment c0 = a.allocate(8, 8);
        assertThat(a.usableSize(c0.address())).isEqualTo(8);
    }

    @Test
    void freedBlocksAreReused() {
        long p = a.malloc(100);
        a.free(p);
        assertThat(a.malloc(100)).as("LIFO: the block just freed, hot in cache").isEqualTo(p);
    }

    @Test
    void callocZeroesAndRejectsOverflow() {
        long p = a.malloc(512);
        Blocks.ALL.asSlice(p, 512).fill((byte) 0x5A);
        a.free(p);
        long q = a.calloc(16, 32);
        for (int i = 0; i < 512; i++) {
            assertThat(Blocks.ALL.get(ValueLayout.JAVA_BYTE, q + i)).isZero();
        }
        assertThatThrownBy(() -> a.calloc(Long.MAX_VALUE / 2, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("overflows");
        assertThatThrownBy(() -> a.calloc(-1, 3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void reallocKeepsContentsAcrossClassesAndMappings() {
        long p = a.malloc(10);
        for (int i = 0; i < 10; i++) {
            Blocks.ALL.set(ValueLayout.JAVA_BYTE, p + i, (byte) (i + 1));
        }
        long prefix = 10;
        for (long n : new long[] {10, 12, 100, 2000, 40_000, 1 << 20, 5000, 3, 64}) {
            p = a.realloc(p, n);
            prefix = Math.min(prefix, n);
            for (int i = 0; i < prefix; i++) {
                assertThat(Blocks.ALL.get(ValueLayout.JAVA_BYTE, p + i)).as("byte %d after realloc to %d", i, n)
                        .isEqualTo((byte) (i + 1));
            }
            assertThat(a.usableSize(p)).isGreaterThanOrEqualTo(n);
        }
        long same = a.malloc(100);
        assertThat(a.realloc(same, 120)).isEqualTo(same); // same class: in place
        assertThat(a.realloc(0, 50)).isNotZero();
    }

    @Test
    void reallocCopiesBytes() {
        long p = a.malloc(300);
        for (int i = 0; i < 300; i++) {
            Blocks.ALL.set(ValueLayout.JAVA_BYTE, p + i, (byte) i);
        }
        long q = a.realloc(p, 5000);
        assertThat(q).isNotEqualTo(p);
        for (int i = 0; i < 300; i++) {
            assertThat(Blocks.ALL.get(ValueLayout.JAVA_BYTE, q + i)).isEqualTo((byte) i);
        }
        assertThatThrownBy(() -> a.free(p)).isInstanceOf(IllegalStateException.class); // realloc freed it
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 8, 16, 32, 64, 256, 4096, 32768, 65536, 1 << 20})
    void allocateHonoursAlignmentAndSize(long alignment) {
        for (long size : new long[] {0, 1, 24, 100, 3000, 70_000}) {
            MemorySegment s = a.allocate(size, alignment);
            assertThat(s.byteSize()).isEqualTo(size);
            assertThat(s.address() % alignment).isZero();
            if (size > 0) {
                s.fill((byte) 7);
                assertThat(s.get(ValueLayout.JAVA_BYTE, size - 1)).isEqualTo((byte) 7);
            }
            a.free(s);
        }
    }

    @Test
    void segmentAllocatorDefaultsWork() {
        MemorySegment s = a.allocateFrom(ValueLayout.JAVA_INT, 1, 2, 3);
        assertThat(s.getAtIndex(ValueLayout.JAVA_INT, 2)).isEqualTo(3);
        a.free(s);
    }

    // ---------------------------------------------------------------- bad input

    @Test
    void freeZeroIsANoOp() {
        assertThatCode(() -> a.free(0)).doesNotThrowAnyException();
    }

    @Test
    void freeOfForeignAddressThrowsAndAllocatorStaysUsable() {
        try (Arena arena = Arena.ofConfined()) {
            long foreign = arena.allocate(64).address();
            assertThatThrownBy(() -> a.free(foreign)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(Long.toHexString(foreign));
        }
        assertThatThrownBy(() -> a.free(0x1000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.free(-8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.free(Long.MAX_VALUE)).isInstanceOf(IllegalArgumentException.class);
        assertThat(a.stats().counter("invalid_frees")).isEqualTo(4);
        long p = a.malloc(64);
        Blocks.fill(p, 64);
        Blocks.check(p, 64);
    }

    @Test
    void interiorPointerThrows() {
        long p = a.malloc(100);
        assertThatThrownBy(() -> a.free(p + 16)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Long.toHexString(p + 16)).hasMessageContaining("interior");
        long big = a.malloc(100_000);
        assertThatThrownBy(() -> a.free(big + 4096)).isInstanceOf(IllegalArgumentException.class);
        a.free(p);
        a.free(big);
    }

    @Test
    void doubleFreeThrowsIllegalStateAndLeavesAllocatorUsable() {
        long p = a.malloc(40);
        long q = a.malloc(40);
        a.free(p);
        assertThatThrownBy(() -> a.free(p)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(Long.toHexString(p)).hasMessageContaining("double free");
        long big = a.malloc(1 << 20);
        a.free(big);
        assertThatThrownBy(() -> a.free(big)).isInstanceOfAny(IllegalStateException.class, IllegalArgumentException.class);
        // the free list was not corrupted: two mallocs give two distinct blocks
        long r1 = a.malloc(40);
        long r2 = a.malloc(40);
        assertThat(r1).isNotEqualTo(r2).isNotEqualTo(q);
        assertThat(a.stats().counter("double_frees")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void doubleFreeFromAnotherThreadIsDetected() throws Exception {
        long p = a.malloc(40);
        Throwable[] seen = new Throwable[2];
        Thread t = Thread.ofPlatform().start(() -> {
            a.free(p);
            try {
                a.free(p);
            } catch (Throwable e) {
                seen[0] = e;
            }
        });
        t.join();
        assertThat(seen[0]).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> a.free(p)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void badSizesThrow() {
        assertThatThrownBy(() -> a.malloc(-1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
        assertThatThrownBy(() -> a.malloc(Long.MAX_VALUE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.malloc(Allocator.MAX_SIZE + 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.realloc(a.malloc(8), -5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.allocate(10, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.allocate(10, 1L << 30)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.allocate(-1, 8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.free(MemorySegment.ofArray(new byte[4]))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void usableSizeOfFreeOrForeignBlockThrows() {
        long p = a.malloc(40);
        a.free(p);
        assertThatThrownBy(() -> a.usableSize(p)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> a.usableSize(12345)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void blocksOfAnotherAllocatorAreRejected() {
        try (Allocator other = AllocatorProvider.load().open("keep", Map.of(), List.of())) {
            long p = other.malloc(64);
            assertThatThrownBy(() -> a.free(p)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("another allocator");
            other.free(p);
        }
    }

    @Test
    void everyCallAfterCloseThrowsIllegalState() {
        long p = a.malloc(64);
        a.close();
        a.close(); // idempotent
        assertThatThrownBy(() -> a.malloc(8)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> a.free(p)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> a.free(0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> a.calloc(1, 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> a.realloc(p, 10)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> a.usableSize(p)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> a.allocate(8, 8)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> a.residentBytes()).isInstanceOf(IllegalStateException.class);
        assertThat(a.stats().count("mapped_bytes").current()).isZero();
    }

    @Test
    void closeUnmapsEverything() {
        for (int i = 0; i < 1000; i++) {
            a.malloc(i * 37 % 5000 + 1);
        }
        a.malloc(5 << 20);
        assertThat(a.stats().count("mapped_bytes").current()).isPositive();
        a.close();
        var st = a.stats();
        assertThat(st.count("mapped_bytes").current()).isZero();
        assertThat(st.count("superslabs").current()).isZero();
        assertThat(st.count("large_mappings").current()).isZero();
        assertThat(st.counter("munmap_bytes")).isEqualTo(st.counter("mmap_bytes"));
    }

    @Test
    void outOfMemoryNamesSizeAndErrnoAndAllocatorRecovers() {
        FaultyOs os = new FaultyOs();
        try (Allocator b = AllocatorProvider.load().open("keep", Map.of(), List.of(os.module()))) {
            os.mmapFailuresLeft.set(1);
            assertThatThrownBy(() -> b.malloc(100)).isInstanceOf(OutOfMemoryError.class)
                    .hasMessageContaining("ENOMEM").hasMessageContaining("2097152");
            os.mmapFailuresLeft.set(1);
            assertThatThrownBy(() -> b.malloc(10_000_000)).isInstanceOf(OutOfMemoryError.class)
                    .hasMessageContaining("10000000").hasMessageContaining("ENOMEM");
            long p = b.malloc(100); // memory is available again
            Blocks.fill(p, 100);
            Blocks.check(p, 100);
            assertThat(b.stats().counter("mmap_errors")).isEqualTo(2);
        }
    }

    @Test
    void hugeRequestTheKernelRefusesIsAnOutOfMemoryError() {
        assertThatThrownBy(() -> a.malloc(Allocator.MAX_SIZE)).isInstanceOf(OutOfMemoryError.class)
                .hasMessageContaining(String.valueOf(Allocator.MAX_SIZE));
        assertThat(a.malloc(8)).isNotZero();
    }

    @Test
    void statsAreConsistent() {
        for (int i = 0; i < 5000; i++) {
            long p = a.malloc(i % 3000 + 1);
            Blocks.fill(p, i % 3000 + 1);
            if (i % 3 != 0) {
                a.free(p);
            }
        }
        for (var c : a.stats().counts()) {
            assertThat(c.peak()).as(c.name()).isGreaterThanOrEqualTo(c.current());
            assertThat(c.current()).as(c.name()).isGreaterThanOrEqualTo(0);
            assertThat(c.total()).as(c.name()).isGreaterThanOrEqualTo(c.peak());
        }
        assertThat(a.stats().toJson()).startsWith("{\"version\":1,\"policy\":\"keep\"").contains("\"mmap_calls\":");
        assertThat(a.residentBytes()).isPositive();
    }
}
