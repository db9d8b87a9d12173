package hakmem.bench.programs;

import hakmem.api.Allocator;
import hakmem.bench.workload.Mem;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An off-heap LRU cache in front of a slow "backend", as services keep sessions or rendered pages: values live in
 * hakmem blocks (key -> address on the Java heap), bounded by bytes (48 MiB) with least-recently-used eviction and
 * a time to live. Four client threads issue Zipf-distributed gets (95%) and puts (5%), one request per 200 us each;
 * a miss fetches from the backend (a value of 100 B..64 KiB, log-uniform) and stores it. Load follows a day: two
 * seconds busy, one second quiet (one request per 2 ms), and every nine seconds the hot keys shift, so the cache churns. Frees happen on
 * whichever client thread evicts, so many are cross-thread.
 */
final class OffHeapCache implements Program {
    private static final long CAPACITY = 48L << 20;
    private static final int KEYS = 200_000;
    private static final long TTL_NANOS = 3_000_000_000L;

    private final ReentrantLock lock = new ReentrantLock();
    private final LinkedHashMap<Integer, long[]> lru = new LinkedHashMap<>(1 << 16, 0.75f, true); // key -> {address, size, stored}
    private long bytes;

    @Override
    public String id() {
        return "offheap-cache";
    }

    @Override
    public String description() {
        return "an off-heap LRU cache (values in hakmem blocks, 48 MiB bound, TTL) under Zipf gets and puts in busy and quiet phases";
    }

    @Override
    public String run(Allocator heap, int seconds, long seed) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long start = System.nanoTime();
        long[] hits = new long[4];
        long[] misses = new long[4];
        Thread[] ts = new Thread[4];
        for (int t = 0; t < ts.length; t++) {
            int id = t;
            ts[t] = new Thread(() -> client(heap, new SplittableRandom(seed + id), start, end, hits, misses, id), "cache-client-" + t);
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        lock.lock();
        try {
            for (long[] v : lru.values()) {
                heap.free(v[0]);
            }
            lru.clear();
        } finally {
            lock.unlock();
        }
        long h = 0;
        long m = 0;
        for (int i = 0; i < 4; i++) {
            h += hits[i];
            m += misses[i];
        }
        return h + " hits, " + m + " misses";
    }

    private void client(Allocator heap, SplittableRandom rnd, long start, long end, long[] hits, long[] misses, int id) {
        double[] zipf = zipfTable(KEYS, 0.99);
        while (true) {
            long now = System.nanoTime();
            if (now >= end) {
                return;
            }
            long phase = (now - start) / 1_000_000_000L;
            boolean quiet = phase % 3 == 2;
            // requests arrive at a rate: one per 200 us per client when busy, a trickle (one per 2 ms) when quiet
            java.util.concurrent.locks.LockSupport.parkNanos(quiet ? 2_000_000 : 200_000);
            if (Thread.interrupted()) {
                return;
            }
            int shift = (int) (phase / 9) * 7919;
            int key = (draw(zipf, rnd) + shift) % KEYS;
            if (rnd.nextInt(100) < 95 && get(key, now)) {
                hits[id]++;
            } else {
                misses[id]++;
                int size = (int) Math.exp(Math.log(100) + rnd.nextDouble() * (Math.log(65536) - Math.log(100)));
                MemorySegment v = heap.allocate(size, 8);
                v.fill((byte) key);
                put(heap, key, v.address(), size, now);
            }
        }
    }

    private boolean get(int key, long now) {
        lock.lock();
        try {
            long[] v = lru.get(key);
            if (v == null || now - v[2] > TTL_NANOS) {
                return false;
            }
            if (Mem.ALL.get(ValueLayout.JAVA_BYTE, v[0]) != (byte) key) {
                throw new IllegalStateException("cache value of key " + key + " corrupted");
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void put(Allocator heap, int key, long address, int size, long now) {
        Map<Integer, long[]> evicted = new HashMap<>();
        lock.lock();
        try {
            long[] old = lru.put(key, new long[] {address, size, now});
            if (old != null) {
                evicted.put(-1, old);
                bytes -= old[1];
            }
            bytes += size;
            var it = lru.entrySet().iterator();
            while (bytes > CAPACITY && it.hasNext()) {
                var e = it.next();
                evicted.put(e.getKey(), e.getValue());
                bytes -= e.getValue()[1];
                it.remove();
            }
        } finally {
            lock.unlock();
        }
        for (long[] v : evicted.values()) {
            heap.free(v[0]); // outside the lock, on this client's thread
        }
    }

    private static double[] zipfTable(int n, double s) {
        double[] cdf = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += 1 / Math.pow(i + 1, s);
            cdf[i] = sum;
        }
        for (int i = 0; i < n; i++) {
            cdf[i] /= sum;
        }
        return cdf;
    }

    private static int draw(double[] cdf, SplittableRandom rnd) {
        double u = rnd.nextDouble();
        int i = java.util.Arrays.binarySearch(cdf, u);
        return i >= 0 ? i : Math.min(cdf.length - 1, -i - 1);
    }
}
