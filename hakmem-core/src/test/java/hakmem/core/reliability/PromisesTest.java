package hakmem.core.reliability;

import static hakmem.core.reliability.Reliability.KiB;
import static hakmem.core.reliability.Reliability.MiB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hakmem.api.Allocator;
import hakmem.api.AllocatorStats;
import hakmem.core.Blocks;
import hakmem.core.alloc.HakmemAllocator;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The promises of issue 9, one regression test each: a refill that fails leaves the heap as it was; memory of
 * ended threads becomes reusable without a new thread; close racing frees never unmaps twice or leaks; segments
 * die with their allocator; calloc does not write memory known to be zero.
 */
class PromisesTest {

    static List<String> policies() {
        return Reliability.policies();
    }

    /** Fails the test with every broken invariant the core's audit finds. */
    static void audit(Allocator a) {
        assertThat(((HakmemAllocator) a).audit()).as("invariant audit").isEmpty();
    }

    private static long counter(Allocator a, String name) {
        return a.stats().counter(name);
    }

    private static long current(Allocator a, String name) {
        return a.stats().count(name).current();
    }

    /**
     * The current slab of a class is full and the refill's mmap fails: the heap must stay consistent, and blocks
     * allocated after the fault must keep their contents through decommit ticks (lean, eager, delayed) and frees.
     */
    @ParameterizedTest
    @MethodSource("policies")
    void refillThatHitsEnomemLeavesTheHeapAsItWas(String policy) throws Exception {
        AuditingOsBox os = new AuditingOsBox();
        Map<String, String> options = new HashMap<>();
        if (policy.equals("lean")) {
            options.put("ss.mem.lean.delay.ms", "100");
            options.put("lean.keep.slabs", "0");
        }
        try (Allocator a = Reliability.open(policy, options, os)) {
            long size = 512;
            int perSuperslab = (int) (2 * MiB / size); // every slab of the first superslab
            List<Long> blocks = new ArrayList<>();
            for (int i = 0; i < perSuperslab; i++) {
                long p = a.malloc(size);
                Blocks.fill(p, size);
                blocks.add(p);
            }
            audit(a);
            os.inject(AuditingOsBox.Op.MMAP, 0, 3, 12); // the next refill (and its retries) get ENOMEM
            for (int k = 0; k < 3; k++) {
                assertThatThrownBy(() -> a.malloc(size)).isInstanceOf(OutOfMemoryError.class).hasMessageContaining("512 bytes");
                audit(a);
            }
            os.heal(AuditingOsBox.Op.MMAP);
            // the model keeps running: more blocks, frees back into the full slab, a refill that now works
            for (int i = 0; i < 300; i++) {
                long p = a.malloc(size);
                Blocks.fill(p, size);
                blocks.add(p);
            }
            for (int i = 0; i < blocks.size(); i += 3) {
                Blocks.check(blocks.get(i), size);
                a.free(blocks.get(i));
                blocks.set(i, 0L);
            }
            audit(a);
            Thread.sleep(policy.equals("lean") ? 350 : 0); // lean's ticker decommits what is empty by now
            for (long p : blocks) {
                if (p != 0) {
                    Blocks.check(p, size);
                }
            }
            audit(a);
            assertThat(current(a, "slabs_in_use")).isPositive();
            for (long p : blocks) {
                if (p != 0) {
                    a.free(p);
                }
            }
            audit(a);
            Thread.sleep(policy.equals("lean") ? 350 : 0);
            long p = a.malloc(size); // after a possible retire of the superslab
            Blocks.fill(p, size);
            Blocks.check(p, size);
            a.free(p);
            audit(a);
        }
        assertThat(os.violations()).isEmpty();
    }

    /**
     * Thread churn: 32 threads each allocate 4096 x 512 B and end; main frees it all. The ended threads' memory
     * must be reusable at once: at most one slab per class stays in use, and the next 64 MiB maps at most 10% more.
     */
    @ParameterizedTest
    @MethodSource("policies")
    void memoryOfEndedThreadsIsReusedWithoutNewThreads(String policy) throws Exception {
        try (Allocator a = Reliability.open(policy)) {
            long mappedBefore = -1;
            for (int generation = 0; generation < 3; generation++) {
                ConcurrentLinkedQueue<Long> blocks = new ConcurrentLinkedQueue<>();
                Thread[] threads = new Thread[32];
                for (int t = 0; t < threads.length; t++) {
                    threads[t] = Thread.ofPlatform().start(() -> {
                        for (int i = 0; i < 4096; i++) {
                            long p = a.malloc(512);
                            MemorySegmentAccess.write(p, 512);
                            blocks.add(p);
                        }
                    });
                }
                for (Thread t : threads) {
                    t.join();
                }
                long mapped = current(a, "mapped_bytes");
                if (mappedBefore < 0) {
                    mappedBefore = mapped;
                } else {
                    assertThat(mapped).as("generation %d maps at most 10%% more than the first", generation)
                            .isLessThanOrEqualTo(mappedBefore + mappedBefore / 10);
                }
                for (long p : blocks) {
                    MemorySegmentAccess.check(p, 512);
                    a.free(p);
                }
                assertThat(current(a, "slabs_in_use")).as("slabs in use after every block of ended threads was freed")
                        .isLessThanOrEqualTo(1);
                audit(a);
            }
        }
    }

    /** 3 threads allocate and free small and large blocks while close() runs; 100 rounds. */
    @ParameterizedTest
    @MethodSource("policies")
    void closeRacingFreesNeverUnmapsTwiceOrLeaks(String policy) throws Exception {
        int rounds = Reliability.knob("close.rounds", 100);
        int crashes = 0;
        for (int round = 0; round < rounds; round++) {
            Allocator a = Reliability.open(policy);
            CountDownLatch started = new CountDownLatch(3);
            List<Throwable> unexpected = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread[] threads = new Thread[3];
            for (int t = 0; t < threads.length; t++) {
                threads[t] = Thread.ofPlatform().start(() -> {
                    ThreadLocalRandom r = ThreadLocalRandom.current();
                    List<MemorySegment> held = new ArrayList<>();
                    started.countDown();
                    try {
                        for (int i = 0; i < 20_000; i++) {
                            if (held.size() > 40 || (!held.isEmpty() && r.nextBoolean())) {
                                a.free(held.remove(r.nextInt(held.size())));
                            } else {
                                int kind = r.nextInt(16);
                                long size = kind == 0 ? MiB + 1 + r.nextInt(2 * (int) MiB) // large
                                        : kind < 3 ? 33 * KiB + r.nextInt(200_000) : 1 + r.nextInt(2048); // medium, small
                                MemorySegment s = a.allocate(size, 16);
                                s.set(ValueLayout.JAVA_BYTE, size - 1, (byte) 7);
                                held.add(s);
                            }
                        }
                    } catch (IllegalStateException closed) {
                        // the allocator (or a segment's scope) closed under us: the documented answer
                    } catch (Throwable e) {
                        unexpected.add(e);
                    }
                });
            }
            started.await();
            Thread.sleep(ThreadLocalRandom.current().nextInt(3));
            a.close();
            for (Thread t : threads) {
                t.join();
            }
            assertThat(unexpected).as("round %d: only IllegalStateException may escape a call racing close", round).isEmpty();
            AllocatorStats s = a.stats();
            assertThat(s.count("mapped_bytes").current()).as("round %d mapped_bytes", round).isZero();
            assertThat(s.counter("munmap_bytes")).as("round %d munmap_bytes", round).isEqualTo(s.counter("mmap_bytes"));
            assertThat(s.count("large_mappings").current()).as("round %d large_mappings", round).isZero();
        }
        assertThat(crashes).isZero();
    }

    @ParameterizedTest
    @MethodSource("policies")
    void segmentsDieWithTheirAllocator(String policy) {
        Allocator a = Reliability.open(policy);
        MemorySegment small = a.allocate(100, 8);
        MemorySegment big = a.allocate(1 * MiB, 4096);
        small.set(ValueLayout.JAVA_INT, 0, 42);
        assertThat(small.scope().isAlive()).isTrue();
        a.close();
        assertThat(small.scope().isAlive()).isFalse();
        assertThat(big.scope().isAlive()).isFalse();
        assertThatThrownBy(() -> small.get(ValueLayout.JAVA_INT, 0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> big.set(ValueLayout.JAVA_BYTE, 0, (byte) 1)).isInstanceOf(IllegalStateException.class);
    }

    /** calloc of fresh memory writes nothing: 512 MiB stay non-resident, and many fresh small blocks too. */
    @ParameterizedTest
    @MethodSource("policies")
    void callocDoesNotTouchMemoryKnownToBeZero(String policy) {
        try (Allocator a = Reliability.open(policy)) {
            long before = a.residentBytes();
            long big = a.calloc(1, 512 * MiB);
            assertThat(a.residentBytes() - before).as("resident after calloc(1, 512 MiB)").isLessThan(4 * MiB);
            assertThat(MemorySegmentAccess.ALL.get(ValueLayout.JAVA_LONG, big + 256 * MiB)).isZero();
            a.free(big);
            before = a.residentBytes();
            List<Long> small = new ArrayList<>();
            for (int i = 0; i < 256; i++) { // 8 MiB of 32 KiB blocks from fresh superslabs
                small.add(a.calloc(8, 4 * KiB));
            }
            assertThat(a.residentBytes() - before).as("resident after 256 x calloc(8, 4 KiB)").isLessThan(2 * MiB);
            for (long p : small) {
                assertThat(MemorySegmentAccess.ALL.get(ValueLayout.JAVA_LONG, p + 16 * KiB)).isZero();
            }
            // reused memory is zeroed: dirty a block, free it, calloc it again
            long d = a.malloc(512);
            MemorySegmentAccess.ALL.asSlice(d, 512).fill((byte) 0x5A);
            a.free(d);
            long z = a.calloc(1, 512);
            for (long off = 0; off < 512; off += 8) {
                assertThat(MemorySegmentAccess.ALL.get(ValueLayout.JAVA_LONG, z + off)).as("calloc byte %d", off).isZero();
            }
            a.free(z);
            for (long p : small) {
                a.free(p);
            }
            audit(a);
        }
    }

    @ParameterizedTest
    @MethodSource("policies")
    void messagesNameTheCallAndCountersTheirThing(String policy) {
        try (Allocator a = Reliability.open(policy)) {
            long foreign = MemorySegmentAccess.foreignAddress();
            assertThatThrownBy(() -> a.usableSize(0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("usableSize:").hasMessageNotContaining("is free");
            assertThatThrownBy(() -> a.realloc(foreign, 10)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("realloc:");
            assertThatThrownBy(() -> a.calloc(1 << 21, 1 << 20)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("calloc:");
            assertThatThrownBy(() -> a.usableSize(foreign)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("usableSize:");
            assertThat(counter(a, "invalid_frees")).as("no free was invalid").isZero();
            assertThat(counter(a, "invalid_addresses")).isEqualTo(3);
            assertThatThrownBy(() -> a.free(foreign)).hasMessageStartingWith("free:");
            assertThat(counter(a, "invalid_frees")).isEqualTo(1);
        }
    }

    /** A policy asking for a tick beyond a day (e.g. an overflowed period) fails open; no ticker spins, nothing leaks. */
    @org.junit.jupiter.api.Test
    void aTickIntervalOutOfRangeFailsOpenAndLeavesNothingMapped() {
        for (long tick : new long[] {-1, hakmem.core.alloc.HakmemAllocator.MAX_TICK_MILLIS + 1, Long.MAX_VALUE}) {
            hakmem.core.stats.Stats stats = new hakmem.core.stats.Stats(List.of());
            hakmem.core.os.OsLayer os = new hakmem.core.os.OsLayer(new AuditingOsBox(), stats);
            hakmem.api.spi.ReleasePolicy policy = new hakmem.api.spi.ReleasePolicy() {
                @Override
                public int prewarmSuperSlabs(hakmem.api.spi.SizeClass c) {
                    return c.index() == 3 ? 1 : 0; // something to give back
                }

                @Override
                public void onSlabEmpty(hakmem.api.spi.EmptySlab slab, boolean superSlabEmpty, hakmem.api.spi.ReleaseHandle h) {
                }

                @Override
                public long tickIntervalMillis() {
                    return tick;
                }
            };
            assertThatThrownBy(() -> new HakmemAllocator("spin", policy, os, stats, (st, when) -> { }, false, List.of()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("policy spin returned a tick interval of " + tick + " ms (0..86400000 allowed)");
            assertThat(stats.get(hakmem.core.stats.Stat.MAPPED_BYTES)).as("mapped after a failed open").isZero();
            assertThat(os.mappingCount()).isZero();
        }
        assertThat(Thread.getAllStackTraces().keySet().stream().map(Thread::getName))
                .noneMatch(n -> n.startsWith("hakmem-ticker-spin"));
    }

    /** Raw access for the tests (the blocks of these tests are the allocator's; the tests' own bounds hold). */
    static final class MemorySegmentAccess {
        static final MemorySegment ALL = Blocks.ALL;

        static void write(long p, long size) {
            ALL.set(ValueLayout.JAVA_LONG, p, p);
            ALL.set(ValueLayout.JAVA_BYTE, p + size - 1, (byte) p);
        }

        static void check(long p, long size) {
            assertThat(ALL.get(ValueLayout.JAVA_LONG, p)).isEqualTo(p);
            assertThat(ALL.get(ValueLayout.JAVA_BYTE, p + size - 1)).isEqualTo((byte) p);
        }

        /** An address no allocator owns: inside a Java-side arena's memory. */
        static long foreignAddress() {
            return FOREIGN.address() + 64;
        }

        private static final MemorySegment FOREIGN = java.lang.foreign.Arena.global().allocate(4096, 4096);
    }
}
