package hakmem.core.os;

import hakmem.api.spi.Clock;
import java.util.concurrent.locks.LockSupport;

/** The default clock box: {@link System#nanoTime()}, and one daemon platform thread per schedule. */
public final class SystemClock implements Clock {

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Scheduled schedule(String name, long periodNanos, Runnable tick) {
        if (periodNanos <= 0) {
            throw new IllegalArgumentException("period must be positive: " + periodNanos + " ns");
        }
        Ticker t = new Ticker(periodNanos, tick);
        t.thread = Thread.ofPlatform().daemon().name(name).unstarted(t::loop);
        t.thread.start();
        return t;
    }

    private static final class Ticker implements Scheduled {
        private final long period;
        private final Runnable tick;
        private volatile boolean stopped;
        private Thread thread;

        Ticker(long period, Runnable tick) {
            this.period = period;
            this.tick = tick;
        }

        private void loop() {
            while (!stopped) {
                LockSupport.parkNanos(this, period);
                if (stopped || Thread.interrupted()) {
                    return;
                }
                tick.run();
            }
        }

        @Override
        public void cancel() {
            stopped = true;
            thread.interrupt();
            LockSupport.unpark(thread);
            if (thread != Thread.currentThread()) {
                try {
                    thread.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
