package hakmem.bench.sim;

import hakmem.api.spi.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A virtual clock: time moves only when the simulation moves it ({@link #advance} for a cost, {@link #advanceTo} to
 * the next recorded event). Scheduled tasks (the allocator's ticker, the bench's resident sampler) run when time
 * passes their deadline, in deadline order (ties: the order they were scheduled), each on the clock's one task
 * thread (which owns no heap, as the core's ticker thread) while the thread that advanced the clock waits: so a run
 * is the same sequence of calls every time.
 */
public final class SimClock implements Clock {
    /** Virtual time starts at 1 s, so that no time is 0 or negative. */
    static final long START = 1_000_000_000L;

    private final Object lock = new Object();
    private final List<Task> tasks = new ArrayList<>();
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "hakmem-sim-tasks");
        t.setDaemon(true);
        return t;
    });
    private long now = START;

    private final class Task implements Scheduled {
        final long period;
        final Runnable body;
        long deadline;
        boolean cancelled;

        Task(long period, Runnable body, long deadline) {
            this.period = period;
            this.body = body;
            this.deadline = deadline;
        }

        @Override
        public void cancel() {
            synchronized (lock) {
                cancelled = true;
                tasks.remove(this);
            }
            synchronized (this) { // a run in progress ends first
                cancelled = true;
            }
        }
    }

    @Override
    public long nanoTime() {
        synchronized (lock) {
            return now;
        }
    }

    /** Adds a cost: time passes without running scheduled tasks (they run at the next {@link #advanceTo}). */
    public void advance(long nanos) {
        synchronized (lock) {
            now += nanos;
        }
    }

    @Override
    public Scheduled schedule(String name, long periodNanos, Runnable tick) {
        if (periodNanos <= 0) {
            throw new IllegalArgumentException("period must be positive: " + periodNanos + " ns");
        }
        synchronized (lock) {
            Task t = new Task(periodNanos, tick, now + periodNanos);
            tasks.add(t);
            return t;
        }
    }

    /**
     * Moves time to at least {@code target}, running every task whose deadline passes on the way, each at its
     * deadline (or later, if costs already carried time past it).
     *
     * @return the nanoseconds of idle time crossed (time moved on because of the target, not because of costs)
     */
    public long advanceTo(long target) {
        long idle = 0;
        while (true) {
            Task due = null;
            synchronized (lock) {
                for (Task t : tasks) {
                    if (t.deadline <= target && (due == null || t.deadline < due.deadline)) {
                        due = t;
                    }
                }
                if (due == null) {
                    if (target > now) {
                        idle += target - now;
                        now = target;
                    }
                    return idle;
                }
                if (due.deadline > now) {
                    idle += due.deadline - now;
                    now = due.deadline;
                }
                due.deadline += due.period;
            }
            run(due);
        }
    }

    private void run(Task t) {
        Future<?> f = runner.submit(() -> {
            synchronized (t) {
                if (!t.cancelled) {
                    t.body.run();
                }
            }
        });
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a simulated task ran", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a simulated task failed: " + e.getCause(), e.getCause());
        }
    }
}
