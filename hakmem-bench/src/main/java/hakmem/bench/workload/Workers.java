package hakmem.bench.workload;

import hakmem.bench.subject.Subject;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;

/**
 * Runs a workload's threads (made by the subject, so Netty gets its own thread class) and carries the first
 * failure: a failing thread breaks the barrier and sets {@link #failed}, which spin loops poll, so the others stop
 * instead of waiting forever.
 */
final class Workers {
    /** A thread's body. */
    interface Body {
        void run(int index) throws Exception;
    }

    private final CyclicBarrier barrier;
    private volatile Throwable failure;

    /** @param phaseAction run once each time all threads reach {@link #await()} (e.g. a meter mark) */
    Workers(int threads, Runnable phaseAction) {
        barrier = new CyclicBarrier(threads, phaseAction);
    }

    boolean failed() {
        return failure != null;
    }

    /** Waits for all threads; throws if another thread failed. */
    void await() throws InterruptedException {
        try {
            barrier.await();
        } catch (BrokenBarrierException e) {
            throw new CheckFailure("another workload thread failed");
        }
    }

    /** Runs {@code threads} copies of the body on the subject's threads and rethrows the first failure. */
    void run(Subject subject, String name, int threads, Body body) throws InterruptedException {
        Thread[] ts = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            int index = i;
            ts[i] = subject.newThread(() -> {
                try {
                    body.run(index);
                } catch (Throwable t) {
                    fail(t);
                }
            }, name + "-" + i);
        }
        for (Thread t : ts) {
            t.start();
        }
        for (Thread t : ts) {
            t.join();
        }
        rethrow();
    }

    synchronized void fail(Throwable t) {
        if (failure == null) {
            failure = t;
        } else if (failure != t && !(t instanceof CheckFailure && "another workload thread failed".equals(t.getMessage()))) {
            failure.addSuppressed(t);
        }
        barrier.reset();
    }

    void rethrow() {
        Throwable t = failure;
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t != null) {
            throw new IllegalStateException(t);
        }
    }
}
