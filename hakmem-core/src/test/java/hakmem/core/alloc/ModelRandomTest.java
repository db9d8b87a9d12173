package hakmem.core.alloc;

import static org.assertj.core.api.Assertions.assertThat;

import hakmem.api.Allocator;
import hakmem.api.spi.AllocatorProvider;
import hakmem.core.Blocks;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded model-based test: random malloc / calloc / realloc / allocate / free against a model of live blocks
 * (address -> size). Every block carries a pattern derived from its address and size, verified before it is freed
 * or resized; live blocks never overlap; calloc memory is zero; alignment and usable size hold.
 */
class ModelRandomTest {

    static List<Object[]> seeds() {
        List<Object[]> out = new ArrayList<>();
        String[] policies = {"keep", "speed", "balanced", "lean"};
        for (int seed = 1; seed <= 16; seed++) {
            out.add(new Object[] {policies[seed % policies.length], (long) seed * 7919});
        }
        return out;
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("seeds")
    void randomOperationsKeepEveryByte(String policy, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        TreeMap<Long, Long> live = new TreeMap<>();
        try (Allocator a = AllocatorProvider.load().open(policy, Map.of(), List.of())) {
            for (int step = 0; step < 3000; step++) {
                int op = rnd.nextInt(100);
                if (op < 45 || live.isEmpty()) {
                    long size = size(rnd);
                    long p;
                    if (op % 5 == 0) {
                        long count = 1 + rnd.nextInt(4);
                        long elem = size / 4 + 1;
                        p = a.calloc(count, elem);
                        size = count * elem;
                        for (long i = 0; i < Math.min(size, 8192); i++) {
                            if (Blocks.ALL.get(ValueLayout.JAVA_BYTE, p + i) != 0) {
                                throw new AssertionError("calloc block 0x" + Long.toHexString(p) + " not zero at +" + i);
                            }
                        }
                    } else if (op % 7 == 0) {
                        long align = 1L << rnd.nextInt(13);
                        MemorySegment s = a.allocate(size, align);
                        assertThat(s.address() % align).isZero();
                        p = s.address();
                    } else {
                        p = a.malloc(size);
                        assertThat(p & 15).isZero();
                    }
                    assertThat(a.usableSize(p)).isGreaterThanOrEqualTo(Math.max(1, size));
                    add(live, p, Math.max(1, size));
                } else if (op < 85) {
                    Map.Entry<Long, Long> e = pick(live, rnd);
                    Blocks.check(e.getKey(), e.getValue());
                    live.remove(e.getKey());
                    a.free(e.getKey());
                } else {
                    Map.Entry<Long, Long> e = pick(live, rnd);
                    Blocks.check(e.getKey(), e.getValue());
                    long n = Math.max(1, size(rnd));
                    long first = Blocks.ALL.get(ValueLayout.JAVA_BYTE, e.getKey());
                    live.remove(e.getKey());
                    long q = a.realloc(e.getKey(), n);
                    assertThat((long) Blocks.ALL.get(ValueLayout.JAVA_BYTE, q)).isEqualTo(first);
                    add(live, q, n);
                }
            }
            for (Map.Entry<Long, Long> e : live.entrySet()) {
                Blocks.check(e.getKey(), e.getValue());
                a.free(e.getKey());
            }
            for (var c : a.stats().counts()) {
                assertThat(c.peak()).isGreaterThanOrEqualTo(c.current()).isGreaterThanOrEqualTo(0);
            }
        }
    }

    private static long size(SplittableRandom rnd) {
        int k = rnd.nextInt(100);
        if (k < 10) {
            return rnd.nextLong(0, 9);
        } else if (k < 65) {
            return rnd.nextLong(1, 1025);
        } else if (k < 90) {
            return rnd.nextLong(1025, 32769);
        } else if (k < 98) {
            return rnd.nextLong(32769, 300_000);
        }
        return rnd.nextLong(300_000, 4 << 20);
    }

    private static void add(TreeMap<Long, Long> live, long p, long size) {
        Map.Entry<Long, Long> below = live.floorEntry(p + size - 1);
        if (below != null) {
            assertThat(below.getKey() + below.getValue()).as("block 0x%x+%d overlaps live 0x%x+%d", p, size,
                    below.getKey(), below.getValue()).isLessThanOrEqualTo(p);
        }
        Blocks.fill(p, size);
        live.put(p, size);
    }

    private static Map.Entry<Long, Long> pick(TreeMap<Long, Long> live, SplittableRandom rnd) {
        Long k = live.ceilingKey(rnd.nextLong(live.firstKey(), live.lastKey() + 1));
        return live.ceilingEntry(k == null ? live.firstKey() : k);
    }
}
