package hakmem.core.alloc;

import static org.assertj.core.api.Assertions.assertThat;

import hakmem.api.Allocator;
import hakmem.api.spi.AllocatorProvider;
import hakmem.core.Blocks;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Multi-thread stress: cross-thread frees, thread churn, virtual threads; contents verified throughout. */
class ConcurrencyTest {

    private static final long STOP = -1;

    @Test
    void producerConsumerEveryFreeIsRemote() throws Exception {
        try (Allocator a = AllocatorProvider.load().open("keep", Map.of(), List.of())) {
            int producers = 3;
            int perProducer = 60_000;
            BlockingQueue<long[]> q = new ArrayBlockingQueue<>(4096);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < producers; t++) {
                int seed = t;
                threads.add(Thread.ofPlatform().start(() -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    try {
                        for (int i = 0; i < perProducer; i++) {
                            long size = r.nextLong(1, 2048);
                            long p = a.malloc(size);
                            Blocks.fill(p, size);
                            q.put(new long[] {p, size});
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }));
            }
            Thread consumer = Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < producers * perProducer; i++) {
                        long[] b = q.take();
                        Blocks.check(b[0], b[1]);
                        a.free(b[0]);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            for (Thread t : threads) {
                t.join();
            }
            consumer.join();
            assertThat(failure.get()).isNull();
            assertThat(a.stats().counter("remote_frees")).isEqualTo((long) producers * perProducer);
            // the producers' heaps collect their remote frees when reused: churn a little more on new threads
            Thread t = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 10_000; i++) {
                    a.free(a.malloc(i % 2000 + 1));
                }
            });
            t.join();
            assertThat(a.stats().count("slabs_in_use").current()).isLessThan(200);
        }
    }

    @Test
    void threadChurnLeaksNothing() throws Exception {
        try (Allocator a = AllocatorProvider.load().open("keep", Map.of(), List.of())) {
            ConcurrentLinkedQueue<long[]> leftovers = new ConcurrentLinkedQueue<>();
            long mappedAfterFirstRound = 0;
            for (int round = 0; round < 20; round++) {
                List<Thread> ts = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int seed = round * 100 + t;
                    ts.add(Thread.ofPlatform().start(() -> {
                        SplittableRandom r = new SplittableRandom(seed);
                        for (int i = 0; i < 2000; i++) {
                            long size = r.nextLong(1, 4096);
                            long p = a.malloc(size);
                            Blocks.fill(p, size);
                            if (i % 4 == 0) {
                                leftovers.add(new long[] {p, size}); // dies with the thread: freed by another
                            } else {
                                a.free(p);
                            }
                        }
                    }));
                }
                for (Thread t : ts) {
                    t.join();
                }
                long[] b;
                while ((b = leftovers.poll()) != null) {
                    Blocks.check(b[0], b[1]);
                    a.free(b[0]);
                }
                if (round == 0) {
                    mappedAfterFirstRound = a.stats().count("mapped_bytes").current();
                }
            }
            var st = a.stats();
            assertThat(st.count("heaps").peak()).as("ended threads' heaps are reused").isLessThanOrEqualTo(24);
            assertThat(st.counter("heaps_adopted")).isPositive();
            assertThat(st.count("mapped_bytes").current()).isLessThanOrEqualTo(Math.max(mappedAfterFirstRound * 2, 64L << 20));
        }
    }

    @Test
    void virtualThreadsShareHeaps() throws Exception {
        try (Allocator a = AllocatorProvider.load().open("keep", Map.of(), List.of())) {
            int n = 2000;
            CountDownLatch done = new CountDownLatch(n);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            ConcurrentLinkedQueue<long[]> handoff = new ConcurrentLinkedQueue<>();
            try (var ex = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < n; i++) {
                    int seed = i;
                    ex.submit(() -> {
                        try {
                            SplittableRandom r = new SplittableRandom(seed);
                            for (int k = 0; k < 200; k++) {
                                long size = r.nextLong(1, 3000);
                                long p = a.malloc(size);
                                Blocks.fill(p, size);
                                if (k % 10 == 0) {
                                    Thread.yield();
                                }
                                long[] other = handoff.poll();
                                if (other != null) {
                                    Blocks.check(other[0], other[1]);
                                    a.free(other[0]);
                                }
                                if (r.nextBoolean()) {
                                    handoff.add(new long[] {p, size});
                                } else {
                                    Blocks.check(p, size);
                                    a.free(p);
                                }
                            }
                        } catch (Throwable e) {
                            failure.compareAndSet(null, e);
                        } finally {
                            done.countDown();
                        }
                    });
                }
            }
            done.await();
            assertThat(failure.get()).isNull();
            long[] b;
            while ((b = handoff.poll()) != null) {
                Blocks.check(b[0], b[1]);
                a.free(b[0]);
            }
            assertThat(a.stats().count("heaps").peak()).as("no heap per virtual thread")
                    .isLessThanOrEqualTo(Math.max(2, Runtime.getRuntime().availableProcessors()) + 2L);
        }
    }

    @Test
    void aVirtualThreadFreesIntoAPooledHeapAsItsHolderAndItsDoubleFreesAreCaught() throws Exception {
        for (String policy : List.of("speed", "balanced", "lean")) {
            try (Allocator a = AllocatorProvider.load().open(policy, Map.of(), List.of())) {
                HakmemAllocator h = (HakmemAllocator) a;
                // one virtual thread: every free finds its pooled heap unlocked and frees as its holder, straight onto
                // the slab's free list (the remote path would leave the block on the remote list until a refill)
                AtomicReference<String> reuse = new AtomicReference<>();
                Thread.ofVirtual().start(() -> {
                    for (int k = 0; k < 20_000; k++) {
                        long size = 16 + (k * 37) % 1009;
                        long p = a.malloc(size);
                        Blocks.fill(p, size);
                        Blocks.check(p, size);
                        a.free(p);
                        long q = a.malloc(size);
                        if (q != p && reuse.get() == null) {
                            reuse.set("op " + k + ": freed 0x" + Long.toHexString(p) + ", got 0x" + Long.toHexString(q));
                        }
                        a.free(q);
                    }
                }).join();
                assertThat(reuse.get()).as(policy + ": the block just freed is the next one handed out").isNull();
                assertThat(a.stats().counter("remote_frees")).as(policy).isEqualTo(40_000);
                assertThat(a.stats().count("slabs_in_use").current()).as(policy).isLessThanOrEqualTo(SizeClasses.COUNT);
                // a block a virtual thread took, freed twice by another virtual thread: caught on the held path
                long[] block = new long[1];
                Thread.ofVirtual().start(() -> block[0] = a.malloc(100)).join();
                AtomicReference<Throwable> second = new AtomicReference<>();
                Thread.ofVirtual().start(() -> {
                    a.free(block[0]);
                    try {
                        a.free(block[0]);
                    } catch (Throwable e) {
                        second.set(e);
                    }
                }).join();
                assertThat(second.get()).as(policy).isInstanceOf(IllegalStateException.class).hasMessageContaining("double free");
                assertThat(a.stats().counter("double_frees")).as(policy).isEqualTo(1);
                assertThat(h.audit()).as(policy).isEmpty();
                // and the heap goes on serving, from virtual and platform threads alike
                long p = a.malloc(100);
                Blocks.fill(p, 100);
                Thread.ofVirtual().start(() -> a.free(p)).join();
                assertThat(h.audit()).as(policy).isEmpty();
            }
        }
    }

    @Test
    void concurrentCrossFreesFromManyThreads() throws Exception {
        try (Allocator a = AllocatorProvider.load().open("keep", Map.of(), List.of())) {
            int threads = 6;
            @SuppressWarnings("unchecked")
            ConcurrentLinkedQueue<long[]>[] inbox = new ConcurrentLinkedQueue[threads];
            for (int i = 0; i < threads; i++) {
                inbox[i] = new ConcurrentLinkedQueue<>();
            }
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int me = t;
                ts.add(Thread.ofPlatform().start(() -> {
                    SplittableRandom r = new SplittableRandom(me);
                    try {
                        for (int i = 0; i < 40_000; i++) {
                            long size = r.nextLong(1, 1500);
                            long p = a.malloc(size);
                            Blocks.fill(p, size);
                            inbox[r.nextInt(threads)].add(new long[] {p, size});
                            long[] b = inbox[me].poll();
                            if (b != null) {
                                Blocks.check(b[0], b[1]);
                                a.free(b[0]);
                            }
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }));
            }
            for (Thread t : ts) {
                t.join();
            }
            assertThat(failure.get()).isNull();
            for (var q : inbox) {
                long[] b;
                while ((b = q.poll()) != null) {
                    Blocks.check(b[0], b[1]);
                    a.free(b[0]);
                }
            }
            assertThat(a.stats().counter("remote_frees")).isPositive();
        }
    }
}
