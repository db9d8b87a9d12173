package hakmem.bench.trace;

/** A trace file that cannot be replayed: unreadable, not a trace, an unknown version, truncated or inconsistent. */
public final class TraceException extends RuntimeException {
    public TraceException(String message) {
        super(message);
    }

    public TraceException(String message, Throwable cause) {
        super(message, cause);
    }
}
