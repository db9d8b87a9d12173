package hakmem.core.observe;

import static hakmem.core.observe.Open.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hakmem.core.Blocks;
import hakmem.core.alloc.HakmemAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** {@code Allocator.trim()}: releases what the policy keeps, and is safe against concurrent malloc and free. */
class TrimTest {

    @Test
    void trimReleasesWhatAKeepingPolicyHolds() {
        try (HakmemAllocator a = Open.open("keep", Map.of())) { // keep: releases nothing by itself
            List<Long> blocks = new ArrayList<>();
            for (int i = 0; i < 40_000; i++) { // ~10 MiB of 256-byte blocks: 5 superslabs
                long p = a.malloc(200);
                Blocks.fill(p, 200);
                blocks.add(p);
            }
            long live = a.malloc(200); // stays live across the trim
            Blocks.fill(live, 200);
            long big = a.malloc(3 * MIB); // a large block, freed: its mapping is cached
            Blocks.fill(big, 3 * MIB);
            for (long p : blocks) {
                a.free(p);
            }
            a.free(big);
            long residentBefore = a.residentBytes();
            assertThat(a.stats().count("large_cached_bytes").current()).isGreaterThanOrEqualTo(3 * MIB);
            assertThat(residentBefore).isGreaterThan(8 * MIB);

            long released = a.trim();

            assertThat(released).as("bytes released").isGreaterThan(8 * MIB);
            assertThat(a.residentBytes()).as("resident after trim").isLessThan(2 * MIB);
            assertThat(a.stats().count("large_cached_bytes").current()).isZero();
            assertThat(a.stats().count("superslabs").current()).as("the live block's superslab stays").isEqualTo(1);
            assertThat(a.stats().counter("trims")).isEqualTo(1);
            assertThat(a.stats().counter("trim_bytes")).isEqualTo(released);
            Blocks.check(live, 200);
            assertThat(a.audit()).isEmpty();
            assertThat(a.trim()).as("nothing left to release").isZero();
            a.free(live);
        }
    }

    @Test
    void trimAfterCloseIsRefused() {
        HakmemAllocator a = Open.open("keep", Map.of());
        a.close();
        assertThatThrownBy(a::trim).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void trimWhileThreadsAllocateAndFreeKeepsEveryBlock() throws Exception {
        try (HakmemAllocator a = Open.open("keep", Map.of())) {
            AtomicBoolean stop = new AtomicBoolean();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<long[]> handoff = new ConcurrentLinkedQueue<>(); // cross-thread frees
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                long seed = t;
                threads.add(Thread.ofPlatform().start(() -> {
                    SplittableRandom rnd = new SplittableRandom(seed);
                    List<long[]> mine = new ArrayList<>();
                    try {
                        while (!stop.get()) {
                            if (mine.size() < 2000 && rnd.nextInt(3) > 0) {
                                long size = rnd.nextInt(10) == 0 ? 1 + rnd.nextLong(3 * MIB) : 1 + rnd.nextInt(4096);
                                long p = a.malloc(size);
                                Blocks.fill(p, size);
                                mine.add(new long[] {p, size});
                            } else if (!mine.isEmpty()) {
                                long[] b = mine.remove(rnd.nextInt(mine.size()));
                                Blocks.check(b[0], b[1]);
                                if (rnd.nextInt(4) == 0) {
                                    handoff.add(b);
                                } else {
                                    a.free(b[0]);
                                }
                            }
                            long[] other = handoff.poll();
                            if (other != null) {
                                Blocks.check(other[0], other[1]);
                                a.free(other[0]);
                            }
                        }
                        for (long[] b : mine) {
                            Blocks.check(b[0], b[1]);
                            a.free(b[0]);
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            long released = 0;
            long end = System.nanoTime() + 1_500_000_000L;
            int trims = 0;
            while (System.nanoTime() < end) {
                released += a.trim();
                trims++;
                Thread.sleep(2);
            }
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
            for (long[] b; (b = handoff.poll()) != null; ) {
                Blocks.check(b[0], b[1]);
                a.free(b[0]);
            }
            assertThat(failures).as("failures of the allocating threads").isEmpty();
            assertThat(trims).isGreaterThan(10);
            assertThat(released).as("the trims released memory the threads had freed").isPositive();
            assertThat(a.audit()).as("invariants after concurrent trims").isEmpty();
            a.trim();
            assertThat(a.stats().count("large_cached_bytes").current()).isZero();
            assertThat(a.audit()).isEmpty();
        }
    }
}
