package hakmem.core.jfr;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Which allocator an event came from: its id (unique in the JVM, 1, 2, ... in the order allocators open; the same id
 * names its MBean) and its policy.
 */
public record EventSource(long id, String policy) {

    private static final AtomicLong NEXT = new AtomicLong();

    /** The source of events emitted before an allocator named itself (an OS layer used alone, in tests). */
    public static final EventSource UNKNOWN = new EventSource(0, "");

    /** A new id for an allocator of this policy. */
    public static EventSource next(String policy) {
        return new EventSource(NEXT.incrementAndGet(), policy);
    }

    /** Sets the event's allocator fields. */
    public void stamp(HakmemEvent e) {
        e.allocator = id;
        e.policy = policy;
    }
}
