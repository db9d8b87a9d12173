package hakmem.core.reliability;

import static hakmem.core.reliability.CheckedAllocator.expect;
import static org.assertj.core.api.Assertions.assertThat;

import hakmem.api.Allocator;
import hakmem.core.reliability.LiveSet.Block;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One test per race the remote-free protocol must handle (docs/allocator.md, "Remote free protocol"). Each test
 * fixes the order of the API calls with latches and barriers (a dedicated platform "owner" thread holds the heap
 * that owns the slabs), and repeats the racy step many times, since the interleaving inside one call cannot be
 * forced from outside. Every block carries its pattern; a shared {@link LiveSet} fails the test if a block is
 * ever handed out twice.
 */
class RemoteFreeRaceTest {

    /** 1000 B -> the 1 KiB class: 64 blocks per 64 KiB slab, so slabs fill and refill quickly. */
    static final long SIZE = 1000;
    static final int PER_SLAB = 64;
    static final int REPEATS = Reliability.knob("race.repeats", 2000);
    private static final AtomicLong RACES = new AtomicLong();
    private static final AtomicLong BOTH_RETURNED = new AtomicLong();

    static Stream<String> policies() {
        return Reliability.policies().stream();
    }

    @AfterAll
    static void figures() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("repeats_per_race", REPEATS);
        f.put("racy_steps", RACES.get());
        f.put("owner_and_remote_free_both_returned", BOTH_RETURNED.get());
        Reliability.recordFigures("RemoteFreeRaceTest", f);
    }

    /** The platform thread that owns the heap (and so the slabs) of the blocks it allocates. */
    static final class Owner implements AutoCloseable {
        final ExecutorService ex = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().name("owner").unstarted(r));

        <T> T on(Callable<T> c) throws Exception {
            return ex.submit(c).get(60, TimeUnit.SECONDS);
        }

        void run(Runnable r) throws Exception {
            on(() -> {
                r.run();
                return null;
            });
        }

        @Override
        public void close() throws InterruptedException {
            ex.shutdownNow();
            ex.awaitTermination(30, TimeUnit.SECONDS);
        }
    }

    /** Model helpers shared by the tests: malloc with pattern and overlap check, verified free. */
    static final class Model {
        final Allocator a;
        final LiveSet live = new LiveSet();

        Model(Allocator a) {
            this.a = a;
        }

        Block malloc(long size) {
            long addr = a.malloc(size);
            Block b = new Block(live.nextId(), addr, size, a.usableSize(addr), 16, Patterns.seed(addr, size), null);
            live.add(b);
            Patterns.fill(addr, size, b.seed());
            return b;
        }

        List<Block> malloc(int n, long size) {
            List<Block> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                out.add(malloc(size));
            }
            return out;
        }

        /** Verifies and forgets the block (before the free, so a concurrent re-handout is not a false overlap). */
        void release(Block b) {
            Patterns.verify("block " + b, b.address(), b.size(), b.seed());
            live.remove(b);
        }

        void free(Block b) {
            release(b);
            a.free(b.address());
        }

        void freeAll() {
            for (Block b : live.blocks()) {
                free(b);
            }
        }

        long superslabs() {
            return a.stats().count("superslabs").current();
        }
    }

    /** Race: two threads free the same block; exactly one wins, the other gets IllegalStateException. */
    @ParameterizedTest
    @MethodSource("policies")
    void twoOtherThreadsFreeTheSameBlock(String policy) throws Exception {
        try (Allocator a = Reliability.open(policy); Owner owner = new Owner();
             ExecutorService pair = Executors.newFixedThreadPool(2)) {
            Model m = new Model(a);
            CyclicBarrier start = new CyclicBarrier(2);
            long doubleBefore = a.stats().counter("double_frees");
            for (int r = 0; r < REPEATS; r++) {
                Block b = owner.on(() -> m.malloc(SIZE));
                m.release(b);
                List<Future<Throwable>> results = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    results.add(pair.submit(() -> {
                        start.await();
                        try {
                            a.free(b.address());
                            return null;
                        } catch (Throwable e) {
                            return e;
                        }
                    }));
                }
                int won = 0;
                for (Future<Throwable> f : results) {
                    Throwable e = f.get(60, TimeUnit.SECONDS);
                    if (e == null) {
                        won++;
                    } else {
                        assertThat(e).isInstanceOf(IllegalStateException.class);
                    }
                }
                assertThat(won).as("exactly one of two concurrent frees succeeds (repeat %d)", r).isEqualTo(1);
                RACES.incrementAndGet();
            }
            assertThat(a.stats().counter("double_frees") - doubleBefore).isEqualTo(REPEATS);
            // every block came back exactly once: the owner can allocate them all again without a duplicate
            owner.run(() -> m.malloc(REPEATS + PER_SLAB, SIZE));
            owner.run(m::freeAll);
        }
    }

    /**
     * Race: the owner and another thread free the same block at once. The owner's fast path checks the block is
     * LIVE with a plain read and then stores FREE; the other thread CASes LIVE -> REMOTE. Exactly one may win,
     * and the block must never end up on both lists (it would then be handed out twice).
     */
    @ParameterizedTest
    @MethodSource("policies")
    void ownerAndAnotherThreadFreeTheSameBlock(String policy) throws Exception {
        try (Allocator a = Reliability.open(policy); Owner owner = new Owner();
             ExecutorService other = Executors.newSingleThreadExecutor()) {
            Model m = new Model(a);
            CyclicBarrier start = new CyclicBarrier(2);
            AtomicInteger bothWon = new AtomicInteger();
            long doubleBefore = a.stats().counter("double_frees");
            owner.run(() -> m.malloc(PER_SLAB / 2, SIZE)); // keeps the slab from going empty
            for (int r = 0; r < REPEATS; r++) {
                Block b = owner.on(() -> m.malloc(SIZE));
                m.release(b);
                Future<Throwable> remote = other.submit(() -> {
                    start.await();
                    try {
                        a.free(b.address());
                        return null;
                    } catch (Throwable e) {
                        return e;
                    }
                });
                Throwable local = owner.on(() -> {
                    start.await();
                    try {
                        a.free(b.address());
                        return null;
                    } catch (Throwable e) {
                        return e;
                    }
                });
                Throwable rem = remote.get(60, TimeUnit.SECONDS);
                if (local == null && rem == null) {
                    bothWon.incrementAndGet();
                } else if (local != null && rem != null) {
                    throw new AssertionError("both frees failed: " + local + " / " + rem);
                } else {
                    assertThat(local != null ? local : rem).isInstanceOf(IllegalStateException.class);
                }
                RACES.incrementAndGet();
            }
            // no block may come back twice
            List<Block> again = owner.on(() -> m.malloc(4 * PER_SLAB, SIZE));
            Set<Long> seen = new HashSet<>();
            for (Block b : again) {
                assertThat(seen.add(b.address())).isTrue();
            }
            owner.run(m::freeAll);
            // both may return when the calls overlap (Allocator's contract); the dropped one is still counted
            assertThat(a.stats().counter("double_frees") - doubleBefore)
                    .as("one double free counted per round (%d rounds in which both calls returned)", bothWon.get())
                    .isEqualTo(REPEATS);
        }
    }

    /**
     * The same race as {@link #ownerAndAnotherThreadFreeTheSameBlock}, hammered: two spinning threads (no parking
     * between rounds) free the same block within nanoseconds of each other, the owner after a varying spin so the
     * two calls slide across each other. Bounded by {@code -Dhakmem.reliability.stress.seconds}. The contract: when
     * the calls overlap both may return, the dropped one is counted in {@code double_frees}, and the allocator's
     * lists stay sound: every round counts exactly one double free, and no block is ever handed out twice.
     */
    @ParameterizedTest
    @MethodSource("policies")
    void ownerAndAnotherThreadFreeTheSameBlockHammered(String policy) throws Exception {
        try (Allocator a = Reliability.open(policy)) {
            int maxRounds = 1_000_000;
            long[] addr = new long[1];
            AtomicLong go = new AtomicLong(-1);
            AtomicLong remoteReady = new AtomicLong(-1);
            AtomicLong remoteDone = new AtomicLong(-1);
            AtomicInteger remoteWon = new AtomicInteger();
            AtomicInteger bothWon = new AtomicInteger();
            AtomicInteger duplicates = new AtomicInteger();
            AtomicLong duplicateAddress = new AtomicLong();
            AtomicLong rounds = new AtomicLong();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicLong stop = new AtomicLong(Long.MAX_VALUE);
            long doubleFreesAtStart = a.stats().counter("double_frees");
            Set<Long> slabsUsed = java.util.concurrent.ConcurrentHashMap.newKeySet();
            AtomicLong lost = new AtomicLong();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ConcurrencyStressTest.SECONDS);
            Thread remote = Thread.ofPlatform().name("remote").start(() -> {
                for (long r = 0; r < maxRounds; r++) {
                    while (go.get() != r) {
                        if (stop.get() <= r) {
                            return;
                        }
                        Thread.onSpinWait();
                    }
                    remoteReady.set(r);
                    boolean won = true;
                    try {
                        a.free(addr[0]);
                    } catch (IllegalStateException e) {
                        won = false;
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                        won = false;
                    }
                    remoteWon.set(won ? 1 : 0);
                    remoteDone.set(r);
                }
            });
            Thread ownerThread = Thread.ofPlatform().name("owner").start(() -> {
                java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
                long keep = a.malloc(SIZE); // keeps the slab from going empty
                long r = 0;
                try {
                    for (; r < maxRounds && System.nanoTime() < deadline && failure.get() == null; r++) {
                        long b = a.malloc(SIZE);
                        slabsUsed.add(b & -(64 * 1024L));
                        addr[0] = b;
                        go.set(r); // publishes addr[0]
                        while (remoteReady.get() != r) {
                            Thread.onSpinWait();
                        }
                        int spins = rnd.nextInt(64);
                        for (int k = 0; k < spins; k++) {
                            Thread.onSpinWait();
                        }
                        boolean won = true;
                        try {
                            a.free(b);
                        } catch (IllegalStateException e) {
                            won = false;
                        }
                        while (remoteDone.get() != r) {
                            Thread.onSpinWait();
                        }
                        if (won && remoteWon.get() == 1) {
                            bothWon.incrementAndGet();
                        }
                        if (!won && remoteWon.get() == 0) {
                            throw new AssertionError("neither free of " + Reliability.hex(b) + " succeeded");
                        }
                    }
                    stop.set(r);
                    rounds.set(r);
                    a.free(keep);
                    // refills collect every queued remote free (stale nodes are skipped and counted); no address
                    // may come back twice
                    Set<Long> seen = new HashSet<>();
                    List<Long> again = new ArrayList<>();
                    for (int k = 0; k < 8 * PER_SLAB; k++) {
                        long x = a.malloc(SIZE);
                        again.add(x);
                        if (!seen.add(x)) {
                            duplicates.incrementAndGet();
                            duplicateAddress.set(x);
                        }
                    }
                    for (long slabBase : slabsUsed) { // every block of the slabs the rounds used must come back
                        long back = again.stream().filter(x -> (x & -(64 * 1024L)) == slabBase).count();
                        lost.addAndGet(PER_SLAB - back);
                    }
                    again.forEach(a::free);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    rounds.compareAndSet(0, r);
                    stop.set(r);
                }
            });
            long doubleBefore = doubleFreesAtStart;
            ownerThread.join();
            remote.join();
            RACES.addAndGet(rounds.get());
            BOTH_RETURNED.addAndGet(bothWon.get());
            assertThat(failure.get()).as("a call threw something else").isNull();
            assertThat(duplicates.get()).as("addresses handed out twice after " + rounds.get() + " rounds, "
                    + bothWon.get() + " of them with both frees returning (e.g. " + Reliability.hex(duplicateAddress.get())
                    + ")").isZero();
            assertThat(lost.get()).as("blocks of the rounds' %d slabs that never came back (%d rounds, %d with both "
                    + "frees returning)", slabsUsed.size(), rounds.get(), bothWon.get()).isZero();
            assertThat(a.stats().counter("double_frees") - doubleBefore)
                    .as("one double free counted per round (%d rounds, %d with both frees returning)", rounds.get(),
                            bothWon.get())
                    .isEqualTo(rounds.get());
        }
    }

    /**
     * Race: remote pushes while the owner collects the same slab. Two threads free the owner's blocks while the
     * owner keeps allocating in the class (each refill collects). No freed block may be lost (the owner gets all
     * of them back without mapping more) or come back twice.
     */
    @ParameterizedTest
    @MethodSource("policies")
    void remotePushesWhileTheOwnerCollects(String policy) throws Exception {
        try (Allocator a = Reliability.open(policy); Owner owner = new Owner();
             ExecutorService freers = Executors.newFixedThreadPool(2)) {
            Model m = new Model(a);
            int rounds = Math.max(10, REPEATS / 50);
            for (int round = 0; round < rounds; round++) {
                List<Block> blocks = owner.on(() -> m.malloc(8 * PER_SLAB, SIZE));
                long superslabs = m.superslabs();
                List<Future<?>> fs = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    int half = t;
                    fs.add(freers.submit(() -> {
                        for (int i = half; i < blocks.size(); i += 2) {
                            m.free(blocks.get(i));
                        }
                        return null;
                    }));
                }
                // meanwhile the owner allocates and frees in the same class: every refill collects remote frees
                owner.run(() -> {
                    for (int i = 0; i < 4; i++) {
                        List<Block> mine = m.malloc(2 * PER_SLAB, SIZE);
                        mine.forEach(m::free);
                    }
                });
                for (Future<?> f : fs) {
                    f.get(60, TimeUnit.SECONDS);
                }
                // all 8 slabs' worth is free again: taking it back must not need a new superslab
                List<Block> back = owner.on(() -> m.malloc(8 * PER_SLAB, SIZE));
                assertThat(m.superslabs()).as("remote frees were collected, not lost (round %d)", round)
                        .isLessThanOrEqualTo(superslabs + 1);
                owner.run(() -> back.forEach(m::free));
                RACES.addAndGet(blocks.size());
            }
            owner.run(m::freeAll);
            assertThat(a.stats().counter("remote_frees")).isGreaterThanOrEqualTo((long) rounds * 8 * PER_SLAB);
        }
    }

    /**
     * Race: a slab is re-queued (its remote list went empty -> non-empty again) while the owner walks its queue.
     * A freer frees one block of each of 16 slabs in turn, over and over, so each slab is queued again and again
     * while the owner collects.
     */
    @ParameterizedTest
    @MethodSource("policies")
    void slabsRequeuedWhileTheOwnerWalksItsQueue(String policy) throws Exception {
        try (Allocator a = Reliability.open(policy); Owner owner = new Owner();
             ExecutorService freer = Executors.newSingleThreadExecutor()) {
            Model m = new Model(a);
            // deterministic first: free x (slab queued), owner collects, free y of the same slab (queued again)
            List<Block> slab = owner.on(() -> m.malloc(PER_SLAB, SIZE));
            freer.submit(() -> m.free(slab.get(0))).get();
            owner.run(() -> m.malloc(2 * PER_SLAB, SIZE)); // refills: collects x
            freer.submit(() -> m.free(slab.get(1))).get();
            Set<Long> next = new HashSet<>();
            owner.run(() -> m.malloc(3 * PER_SLAB, SIZE).forEach(b -> next.add(b.address())));
            assertThat(next).as("the block freed after the first collection came back").contains(slab.get(1).address());
            owner.run(m::freeAll);

            int slabs = 16;
            for (int round = 0; round < Math.max(5, REPEATS / 200); round++) {
                List<Block> blocks = owner.on(() -> m.malloc(slabs * PER_SLAB, SIZE));
                long superslabs = m.superslabs();
                Future<?> f = freer.submit(() -> {
                    for (int i = 0; i < PER_SLAB; i++) {
                        for (int s = 0; s < slabs; s++) {
                            m.free(blocks.get(s * PER_SLAB + i));
                        }
                    }
                    return null;
                });
                owner.run(() -> {
                    for (int i = 0; i < 20; i++) {
                        m.malloc(PER_SLAB, SIZE).forEach(m::free);
                    }
                });
                f.get(60, TimeUnit.SECONDS);
                List<Block> back = owner.on(() -> m.malloc(slabs * PER_SLAB, SIZE));
                assertThat(m.superslabs()).isLessThanOrEqualTo(superslabs + 1);
                owner.run(() -> back.forEach(m::free));
                RACES.addAndGet(blocks.size());
            }
        }
    }

    /**
     * Race: remote frees into slabs whose owner thread has ended. The blocks must still be collected (by the
     * thread that adopts the heap, or the ticker), so a new thread reuses them instead of mapping more.
     */
    @ParameterizedTest
    @MethodSource("policies")
    void remoteFreesIntoSlabsOfAnEndedThread(String policy) throws Exception {
        try (Allocator a = Reliability.open(policy)) {
            Model m = new Model(a);
            for (int round = 0; round < 20; round++) {
                AtomicReference<List<Block>> orphans = new AtomicReference<>();
                Thread t = Thread.ofPlatform().start(() -> orphans.set(m.malloc(4 * PER_SLAB, SIZE)));
                t.join();
                long superslabs = m.superslabs();
                Thread freer = Thread.ofPlatform().start(() -> orphans.get().forEach(m::free));
                freer.join();
                Thread next = Thread.ofPlatform().start(() -> m.malloc(4 * PER_SLAB, SIZE));
                next.join();
                assertThat(m.superslabs()).as("blocks freed into an ended thread's slabs are reused (round %d)", round)
                        .isLessThanOrEqualTo(superslabs + 1);
                Thread cleaner = Thread.ofPlatform().start(m::freeAll);
                cleaner.join();
                RACES.addAndGet(4 * PER_SLAB);
            }
            assertThat(a.stats().counter("heaps_adopted")).isPositive();
            assertThat(a.stats().count("heaps").current()).isLessThanOrEqualTo(8);
        }
    }

    /**
     * Race: a free of a block whose slab already went back to its class pool (all its blocks freed): the entry is
     * not LIVE, so the call throws IllegalStateException, from the old owner and from any other thread, and the
     * memory is not touched.
     */
    @ParameterizedTest
    @MethodSource("policies")
    void freeOfABlockWhoseSlabWentBackToThePool(String policy) throws Exception {
        try (Allocator a = Reliability.open(policy, Reliability.EAGER_DECOMMIT); Owner owner = new Owner()) {
            Model m = new Model(a);
            for (int round = 0; round < 50; round++) {
                // two slabs' worth: the first slab is no longer current, so emptying it returns it to the pool
                List<Block> blocks = owner.on(() -> m.malloc(2 * PER_SLAB + 1, SIZE));
                long stale = blocks.get(3).address();
                long inUse = a.stats().count("slabs_in_use").current();
                owner.run(() -> blocks.subList(0, PER_SLAB).forEach(m::free));
                assertThat(a.stats().count("slabs_in_use").current()).as("the emptied slab went back to the pool")
                        .isLessThan(inUse);
                expect(IllegalStateException.class, () -> a.free(stale), "free from another thread after pool return",
                        stale);
                owner.run(() -> expect(IllegalStateException.class, () -> a.free(stale), "free by the old owner", stale));
                owner.run(m::freeAll);
                RACES.incrementAndGet();
            }
        }
    }

    /**
     * Race: the owner's plain stores to its blocks' entries while other threads CAS entries of the same slab.
     * The owner allocates and frees blocks of a slab while two threads free the other blocks of that slab.
     */
    @ParameterizedTest
    @MethodSource("policies")
    void ownerWorksASlabWhileOthersFreeInIt(String policy) throws Exception {
        try (Allocator a = Reliability.open(policy); Owner owner = new Owner();
             ExecutorService freers = Executors.newFixedThreadPool(2)) {
            Model m = new Model(a);
            for (int round = 0; round < Math.max(10, REPEATS / 20); round++) {
                List<Block> slab = owner.on(() -> m.malloc(PER_SLAB, SIZE));
                List<Block> theirs = new ArrayList<>();
                List<Block> mine = new ArrayList<>();
                for (int i = 0; i < slab.size(); i++) {
                    (i % 2 == 0 ? theirs : mine).add(slab.get(i));
                }
                CyclicBarrier start = new CyclicBarrier(3);
                List<Future<?>> fs = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    int half = t;
                    fs.add(freers.submit(() -> {
                        start.await();
                        for (int i = half; i < theirs.size(); i += 2) {
                            m.free(theirs.get(i));
                        }
                        return null;
                    }));
                }
                owner.run(() -> {
                    try {
                        start.await();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    for (Block b : mine) {
                        m.free(b);
                        m.free(m.malloc(SIZE)); // local alloc/free in the same class while remote CASes land
                    }
                });
                for (Future<?> f : fs) {
                    f.get(60, TimeUnit.SECONDS);
                }
                RACES.addAndGet(PER_SLAB);
            }
            owner.run(() -> m.malloc(8 * PER_SLAB, SIZE));
            owner.run(m::freeAll);
        }
    }

    /** A virtual thread frees after parking (it may resume on another carrier); no heap per virtual thread. */
    @ParameterizedTest
    @MethodSource("policies")
    void virtualThreadsFreeAfterChangingCarrier(String policy) throws Exception {
        try (Allocator a = Reliability.open(policy)) {
            Model m = new Model(a);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> threads = new ArrayList<>();
            for (int v = 0; v < 200; v++) {
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        for (int i = 0; i < 10; i++) {
                            Block b = m.malloc(SIZE);
                            Thread.sleep(1);
                            m.free(b);
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            assertThat(failure.get()).isNull();
            assertThat(m.live.size()).isZero();
            RACES.addAndGet(2000);
        }
    }

    /** close() with remote frees still queued: unmaps everything, no exception, calls after it throw. */
    @ParameterizedTest
    @MethodSource("policies")
    void closeWithRemoteFreesPending(String policy) throws Exception {
        Allocator a = Reliability.open(policy);
        Model m = new Model(a);
        try (Owner owner = new Owner()) {
            List<Block> blocks = owner.on(() -> m.malloc(4 * PER_SLAB, SIZE));
            Thread freer = Thread.ofPlatform().start(() -> blocks.forEach(m::free)); // queued, never collected
            freer.join();
            a.close();
            assertThat(a.stats().count("mapped_bytes").current()).isZero();
            Throwable onOwner = owner.on(() -> {
                try {
                    a.malloc(SIZE);
                    return null;
                } catch (Throwable e) {
                    return e;
                }
            });
            assertThat(onOwner).as("malloc after close on the owner thread").isInstanceOf(IllegalStateException.class);
        }
    }
}
