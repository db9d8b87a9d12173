package hakmem.policy.lean;

/**
 * The peak of a quantity over the last one to two windows: two buckets of one window each, the answer the larger of
 * the current and the previous bucket's maximum. O(1) per sample, no allocation; thread-safe.
 */
final class WindowedPeak {

    private final long windowNanos;
    private boolean started;
    private long bucketStart;
    private long current;
    private long previous;

    WindowedPeak(long windowNanos) {
        if (windowNanos <= 0) {
            throw new IllegalArgumentException("window " + windowNanos + " ns must be positive");
        }
        this.windowNanos = windowNanos;
    }

    /** Records {@code value} at {@code now} (a nanosecond clock) and returns the peak over the last one to two windows. */
    synchronized long update(long value, long now) {
        long age = now - bucketStart;
        if (!started || age >= windowNanos) {
            previous = started && age < 2 * windowNanos ? current : 0;
            current = 0;
            bucketStart = now;
            started = true;
        }
        current = Math.max(current, value);
        return Math.max(current, previous);
    }
}
