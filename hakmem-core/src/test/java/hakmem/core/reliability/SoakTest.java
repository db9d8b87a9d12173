package hakmem.core.reliability;

import static hakmem.core.reliability.Reliability.KiB;
import static hakmem.core.reliability.Reliability.MiB;
import static org.assertj.core.api.Assertions.assertThat;

import hakmem.api.Allocator;
import hakmem.api.AllocatorStats;
import hakmem.core.reliability.LiveSet.Block;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A short in-process soak per built-in policy ({@code -Dhakmem.reliability.soak.seconds}, default 12): cycles of
 * four workload epochs (Mixed WS=400, a 16 MiB burst of small and medium blocks freed at once, large blocks, and
 * four threads trading blocks through shared slots), with a persistent working set alive throughout. Every block
 * is verified before it is freed. Asserted loosely, as CI machines vary: after the first cycle, neither resident
 * nor mapped memory at the end of a cycle grows beyond twice the first cycle's highest value plus 32 MiB. The long
 * soak (10+ minutes, {@code ./hakmem soak}) is reported in docs/reliability.md.
 */
class SoakTest {

    static final int SECONDS = Reliability.knob("soak.seconds", 12);
    private static final long SLACK = 32 * MiB;

    static Stream<String> policies() {
        return Reliability.policies().stream();
    }

    @ParameterizedTest
    @MethodSource("policies")
    void soak(String policy) throws Exception {
        try (CheckedAllocator ca = new CheckedAllocator(policy, Reliability.EAGER_DECOMMIT, null)) {
            Allocator a = ca.allocator();
            SplittableRandom r = new SplittableRandom(0x9E3779B97F4A7C15L);
            Block[] ws = new Block[400];
            List<long[]> cycles = new ArrayList<>(); // {resident, mapped} at the end of each cycle
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
            long ops = 0;
            do {
                ops += mixed(ca, ws, r, 50_000);
                ops += burst(ca, r);
                ops += large(ca, r);
                ops += threads(ca);
                AllocatorStats s = ca.checkStep("end of cycle " + cycles.size());
                cycles.add(new long[] {a.residentBytes(), s.count("mapped_bytes").current()});
            } while (System.nanoTime() < deadline);
            for (Block b : ws) {
                if (b != null) {
                    ca.free(b, false);
                }
            }
            ca.checkStep("end of soak");
            long firstResident = cycles.get(0)[0];
            long firstMapped = cycles.get(0)[1];
            long maxResident = cycles.stream().mapToLong(c -> c[0]).max().orElseThrow();
            long maxMapped = cycles.stream().mapToLong(c -> c[1]).max().orElseThrow();
            long lastResident = cycles.get(cycles.size() - 1)[0];
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("policy", policy);
            f.put("seconds", SECONDS);
            f.put("cycles", cycles.size());
            f.put("operations", ops + ca.operations);
            f.put("bytes_verified", ca.bytesVerified);
            f.put("resident_first_cycle", firstResident);
            f.put("resident_last_cycle", lastResident);
            f.put("resident_max", maxResident);
            f.put("resident_drift_pct", firstResident == 0 ? 0 : (lastResident - firstResident) * 100 / firstResident);
            // after a warm-up of a tenth of the cycles: end vs start, as the long soak reports it
            long warm = cycles.get(cycles.size() / 10)[0];
            f.put("resident_after_warmup", warm);
            f.put("resident_drift_after_warmup_pct", warm == 0 ? 0 : (lastResident - warm) * 100.0 / warm);
            f.put("mapped_after_warmup", cycles.get(cycles.size() / 10)[1]);
            f.put("mapped_last_cycle", cycles.get(cycles.size() - 1)[1]);
            f.put("mapped_first_cycle", firstMapped);
            f.put("mapped_max", maxMapped);
            f.put("resident_after_free_all", a.residentBytes());
            Reliability.recordFigures("SoakTest", f);
            assertThat(cycles.size()).isGreaterThanOrEqualTo(2);
            assertThat(maxResident).as("resident memory does not grow cycle after cycle").isLessThanOrEqualTo(2 * firstResident + SLACK);
            assertThat(maxMapped).as("mapped memory does not grow cycle after cycle").isLessThanOrEqualTo(2 * firstMapped + SLACK);
        }
    }

    /** Mixed WS=400 (docs/GUIDE): replace a random slot's block with one of 16..1024 bytes. */
    private static long mixed(CheckedAllocator ca, Block[] ws, SplittableRandom r, int ops) {
        for (int i = 0; i < ops; i++) {
            int slot = r.nextInt(ws.length);
            if (ws[slot] != null) {
                ca.free(ws[slot], false);
            }
            ws[slot] = ca.malloc(16 + r.nextInt(1009));
        }
        return 0; // counted by the CheckedAllocator
    }

    /** 16 MiB of small and medium blocks, then all freed: slabs go empty together (decommit, retire). */
    private static long burst(CheckedAllocator ca, SplittableRandom r) {
        List<Block> blocks = new ArrayList<>();
        long bytes = 0;
        while (bytes < 16 * MiB) {
            long size = r.nextInt(4) == 0 ? 1025 + r.nextInt((int) (31 * KiB)) : 1 + r.nextInt(1024);
            blocks.add(ca.malloc(size));
            bytes += size;
        }
        for (int i = blocks.size() - 1; i >= 0; i--) {
            ca.free(blocks.get(i), false);
        }
        return 0;
    }

    /** A ring of 16 large blocks (33 KiB .. 4 MiB), replaced 100 times, with reallocs. */
    private static long large(CheckedAllocator ca, SplittableRandom r) {
        Block[] ring = new Block[16];
        for (int i = 0; i < 100; i++) {
            int k = r.nextInt(ring.length);
            long size = 33 * KiB + r.nextLong(4 * MiB - 33 * KiB);
            if (ring[k] == null) {
                ring[k] = ca.malloc(size);
            } else if (r.nextBoolean()) {
                ring[k] = ca.realloc(ring[k], size);
            } else {
                ca.free(ring[k], false);
                ring[k] = ca.malloc(size);
            }
        }
        for (Block b : ring) {
            if (b != null) {
                ca.free(b, false);
            }
        }
        return 0;
    }

    /** Four threads (two virtual) trade blocks through shared slots for 10,000 operations each. */
    private static long threads(CheckedAllocator ca) throws InterruptedException {
        Allocator a = ca.allocator();
        LiveSet live = ca.live;
        AtomicReferenceArray<Block> slots = new AtomicReferenceArray<>(1024);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        int perThread = 10_000;
        for (int t = 0; t < 4; t++) {
            long seed = t;
            Runnable body = () -> {
                SplittableRandom r = new SplittableRandom(seed);
                try {
                    for (int i = 0; i < perThread && failure.get() == null; i++) {
                        long size = r.nextInt(8) == 0 ? 1025 + r.nextInt(8000) : 16 + r.nextInt(1009);
                        long addr = a.malloc(size);
                        Block b = new Block(live.nextId(), addr, size, a.usableSize(addr), 16,
                                Patterns.seed(addr, size), null);
                        live.add(b);
                        Patterns.fill(addr, size, b.seed());
                        Block old = slots.getAndSet(r.nextInt(slots.length()), b);
                        if (old != null) {
                            Patterns.verify("block " + old, old.address(), old.size(), old.seed());
                            live.remove(old);
                            a.free(old.address());
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            };
            threads.add(t % 2 == 0 ? Thread.ofPlatform().start(body) : Thread.ofVirtual().start(body));
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failure.get() != null) {
            throw new AssertionError("soak thread failed: " + failure.get(), failure.get());
        }
        for (int i = 0; i < slots.length(); i++) {
            Block b = slots.get(i);
            if (b != null) {
                Patterns.verify("block " + b, b.address(), b.size(), b.seed());
                live.remove(b);
                a.free(b.address());
            }
        }
        return 4L * perThread * 2;
    }
}
