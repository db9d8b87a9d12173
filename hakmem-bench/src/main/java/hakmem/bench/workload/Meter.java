package hakmem.bench.workload;

/**
 * What a workload reports its phases to. {@link #mark} records the time, the allocator's resident bytes, the
 * process RSS and a stats snapshot under a label; the runner derives the figures from the standard labels
 * {@link #TIMED_START} and {@link #TIMED_END}. Marks are taken outside the measured loops.
 */
public interface Meter {
    String TIMED_START = "timed-start";
    String TIMED_END = "timed-end";

    void mark(String label);

    /** Progress inside a long phase, 0..1 (for progress lines); cheap, may be ignored. */
    default void progress(double fraction) {
    }

    /** A meter that records nothing (tests, JMH). */
    Meter NONE = label -> { };
}
