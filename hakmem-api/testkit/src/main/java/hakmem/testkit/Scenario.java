package hakmem.testkit;

import hakmem.api.spi.EmptySlab;
import hakmem.api.spi.ReleasePolicy;
import hakmem.api.spi.SizeClass;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntSupplier;

/**
 * A scripted life of a policy against a {@link FakeReleaseHandle}, as the core would drive it: prewarm of every
 * class and {@code onOpen}, then random events (slabs and superslabs emptying and being reused, the clock moving,
 * {@code onTick} when the policy asked for a ticker). Each callback runs inside {@link FakeReleaseHandle#inCallback};
 * what a callback throws is recorded, not propagated, as the core logs and ignores it.
 */
final class Scenario {

    /** Empty slabs a class may pile up before the script reuses one: keeps the model small. */
    private static final int MAX_EMPTY_SLABS = 64;

    private final ReleasePolicy policy;
    private final FakeReleaseHandle handle;
    private final List<String> thrown = new ArrayList<>();
    private long callbacks;

    Scenario(ReleasePolicy policy, FakeReleaseHandle handle) {
        this.policy = policy;
        this.handle = handle;
    }

    /** Prewarm of every class, then {@code onOpen}; returns the tick interval (-1 if asking for it threw). */
    long open() {
        for (SizeClass c : FakeReleaseHandle.CLASSES) {
            intCall("prewarmSuperSlabs(" + c.name() + ")", () -> policy.prewarmSuperSlabs(c));
        }
        call("onOpen", () -> policy.onOpen(handle));
        long[] tick = {-1};
        call("tickIntervalMillis", () -> tick[0] = policy.tickIntervalMillis());
        return tick[0];
    }

    /**
     * {@code steps} random events from {@code rng}; decommit is disabled (as after a madvise error) at step
     * {@code disableAt} (never if negative).
     */
    void events(SplittableRandom rng, int steps, int disableAt, long tickMillis) {
        List<SizeClass> classes = FakeReleaseHandle.CLASSES;
        for (int step = 0; step < steps; step++) {
            if (step == disableAt) {
                handle.disableDecommit();
            }
            // mostly a few hot classes, so slabs pile up and there is something to release
            SizeClass c = rng.nextInt(10) < 7 ? classes.get(rng.nextInt(4)) : classes.get(rng.nextInt(classes.size()));
            int r = rng.nextInt(100);
            if (r < 55) {
                boolean whole = rng.nextInt(8) == 0;
                if (whole) {
                    handle.superSlabEmptied(c);
                }
                EmptySlab slab = handle.slabEmptied(c);
                call("onSlabEmpty(" + c.name() + ")", () -> policy.onSlabEmpty(slab, whole, handle));
            } else if (r < 80) {
                reuseSlab(c);
            } else if (r < 85) {
                reuseSuperSlab(c);
            } else {
                handle.advanceMillis(r >= 98 ? 3_000 : rng.nextInt(50));
                if (tickMillis > 0) {
                    call("onTick", () -> policy.onTick(handle));
                }
            }
            synchronized (handle) {
                if (handle.emptySlabCount(c) > MAX_EMPTY_SLABS) {
                    handle.slabReused(c);
                }
            }
        }
    }

    private void reuseSlab(SizeClass c) {
        synchronized (handle) { // another thread of the concurrency check may take the last one
            if (handle.emptySlabCount(c) > 0) {
                handle.slabReused(c);
            }
        }
    }

    private void reuseSuperSlab(SizeClass c) {
        synchronized (handle) {
            if (handle.emptySuperSlabCount(c) > 0) {
                handle.superSlabReused(c);
            }
        }
    }

    /** What the callbacks threw, one line each (at most 20 kept). */
    synchronized List<String> thrown() {
        return List.copyOf(thrown);
    }

    synchronized long callbacks() {
        return callbacks;
    }

    private void intCall(String what, IntSupplier callback) {
        call(what, callback::getAsInt);
    }

    void call(String what, Runnable callback) {
        synchronized (this) {
            callbacks++;
        }
        handle.inCallback(() -> {
            try {
                callback.run();
            } catch (RuntimeException | Error e) {
                record(what, e);
            }
        });
    }

    private synchronized void record(String what, Throwable e) {
        if (thrown.size() < 20) {
            thrown.add(what + " threw " + describe(e));
        }
    }

    /** {@code IllegalStateException: message (at Class.method:line)}. */
    static String describe(Throwable e) {
        StackTraceElement[] trace = e.getStackTrace();
        String at = trace.length == 0 ? "" : " (at " + trace[0].getClassName() + "." + trace[0].getMethodName() + ":"
                + trace[0].getLineNumber() + ")";
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + at;
    }
}
