package hakmem.bench.run;

import hakmem.api.spi.Clock;
import hakmem.bench.sim.SimClock;
import hakmem.bench.subject.Subject;
import java.util.ArrayList;
import java.util.List;

/**
 * A daemon thread that samples the allocator's resident bytes and the process RSS every {@code periodMs}, so
 * peaks between marks are seen. It runs on its own thread, outside the measured loops. For a subject on the simulated
 * OS it is a task of the virtual clock instead (every {@code periodMs} of virtual time, no process RSS: -1), so the
 * samples are the same on every run.
 */
public final class Sampler implements AutoCloseable {
    /** One sample: milliseconds since the run started, allocator resident (-1: n/a), process RSS. */
    public record Sample(double tMs, long resident, long rss) {
    }

    private final Subject subject;
    private final long originNanos;
    private final long periodMs;
    private final List<Sample> samples = new ArrayList<>();
    private final Thread thread;
    private final SimClock sim;
    private Clock.Scheduled scheduled;
    private volatile boolean stop;

    public Sampler(Subject subject, long originNanos, long periodMs) {
        this.subject = subject;
        this.originNanos = originNanos;
        this.periodMs = periodMs;
        this.thread = new Thread(this::loop, "hakmem-bench-sampler");
        thread.setDaemon(true);
        this.sim = subject.simClock();
    }

    public Sampler start() {
        if (periodMs > 0 && sim != null) {
            scheduled = sim.schedule("hakmem-bench-sampler", periodMs * 1_000_000L, () -> {
                Sample s = sampleNow();
                synchronized (samples) {
                    samples.add(s);
                }
            });
        } else if (periodMs > 0) {
            thread.start();
        }
        return this;
    }

    /** The run's clock: the subject's virtual clock, or System.nanoTime(). */
    public long now() {
        return sim != null ? sim.nanoTime() : System.nanoTime();
    }

    private void loop() {
        while (!stop) {
            Sample s = sampleNow();
            synchronized (samples) {
                samples.add(s);
            }
            try {
                Thread.sleep(periodMs);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One sample taken now (also used by marks). */
    public Sample sampleNow() {
        long resident = subject.residentBytes();
        long rss = sim != null ? -1 : ProcStatus.rss();
        return new Sample((now() - originNanos) / 1e6, resident, rss);
    }

    public List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        if (scheduled != null) {
            scheduled.cancel();
        }
        thread.interrupt();
        if (thread.isAlive()) {
            thread.join();
        }
    }
}
