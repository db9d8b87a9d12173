package hakmem.api.spi;

/**
 * The clock box: the time the core and its release policy see ({@link ReleaseHandle#nanoTime()},
 * {@link EmptySlab#emptySinceNanos()}) and the scheduler of the core's periodic ticker. The default binding is the
 * system clock ({@link System#nanoTime()}, a daemon platform thread per ticker). A simulator binds a virtual clock
 * (through the override modules of {@link AllocatorProvider#open}), so that a policy's idle delays and tick periods
 * run in simulated time and a run is reproducible.
 */
public interface Clock {

    /** Monotonic nanoseconds, with the semantics of {@link System#nanoTime()} (only differences are meaningful). */
    long nanoTime();

    /**
     * Runs {@code tick} every {@code periodNanos} of this clock's time, the first time one period from now, until the
     * returned handle is cancelled. Ticks of one schedule never overlap. A tick that throws is the caller's business:
     * the core catches everything inside {@code tick}.
     *
     * @param name        a name for the thread or the log, e.g. {@code hakmem-ticker-lean}
     * @param periodNanos the period, positive
     */
    Scheduled schedule(String name, long periodNanos, Runnable tick);

    /** A periodic task started by {@link #schedule}. */
    interface Scheduled {
        /** Stops the ticks: a tick in progress finishes first (waits for it); no tick starts after this returns. */
        void cancel();
    }
}
