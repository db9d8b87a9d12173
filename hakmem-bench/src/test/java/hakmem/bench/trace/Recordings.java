package hakmem.bench.trace;

import hakmem.api.Allocator;
import hakmem.api.Hakmem;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/** Small programs that run on hakmem with {@code hakmem.trace} set: the traces the tests read and replay. */
public final class Recordings {
    private Recordings() {
    }

    /** A traced allocator (the trace option given through the API, as -Dhakmem.trace would). */
    public static Allocator traced(String policy, Path file) {
        return Hakmem.open(policy, Map.of("trace", file.toString()));
    }

    /** A producer thread allocates {@code n} blocks of 16..1040 bytes, a consumer thread frees every one of them. */
    public static void producerConsumer(Path file, int n) throws InterruptedException {
        try (Allocator heap = traced("speed", file)) {
            BlockingQueue<Long> q = new ArrayBlockingQueue<>(64);
            Thread consumer = new Thread(() -> {
                try {
                    for (int i = 0; i < n; i++) {
                        heap.free(q.take());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "consumer");
            Thread producer = new Thread(() -> {
                try {
                    for (int i = 0; i < n; i++) {
                        q.put(heap.malloc(16 + (i * 37) % 1025));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "producer");
            consumer.start();
            producer.start();
            producer.join();
            consumer.join();
        }
    }

    /** One block allocated, {@code millis} of idle, the block freed. */
    public static void gap(Path file, long millis) throws InterruptedException {
        try (Allocator heap = traced("speed", file)) {
            long a = heap.malloc(64);
            Thread.sleep(millis);
            heap.free(a);
        }
    }

    /**
     * One thread in phases: {@code mb} MiB of 1 KiB blocks, all freed, 50 ms idle, a quarter of that again (freed),
     * 50 ms idle: a resident curve that rises and falls under a policy that decommits.
     */
    public static void phases(Path file, String policy, int mb) throws InterruptedException {
        try (Allocator heap = traced(policy, file)) {
            for (int round = 0; round < 2; round++) {
                int blocks = (mb << 10) / (round == 0 ? 1 : 4);
                long[] b = new long[blocks];
                for (int i = 0; i < blocks; i++) {
                    b[i] = heap.malloc(1000);
                }
                for (long a : b) {
                    heap.free(a);
                }
                Thread.sleep(50);
            }
        }
    }
}
