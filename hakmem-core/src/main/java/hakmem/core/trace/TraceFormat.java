package hakmem.core.trace;

/**
 * The constants of the hakmem allocation trace, format version 1 (documented in docs/bench.md, "The trace format";
 * the bench's {@code hakmem.bench.trace.TraceReader} reads it). All multi-byte fixed fields are big-endian; "varint" is
 * unsigned LEB128, "zigzag" is a signed value zigzag-mapped to a varint.
 *
 * <pre>
 * header : "HKMTRACE" (8 bytes) | u16 version (1) | u16 flags (0) | i64 start, ms since the epoch | u16 n | n bytes UTF-8 note
 * record : u8 kind, then
 *   THREAD (1): varint thread id | u16 n | n bytes UTF-8 thread name
 *   CHUNK  (2): varint thread id | varint events | varint bytes | the events of that thread
 *   END    (3): varint events in all | varint threads | varint chunks        (last record of a complete trace)
 * event  : u8 op | zigzag time delta, ns | operands
 *   MALLOC   (1): varint size | zigzag address delta
 *   CALLOC   (2): varint count | varint size | zigzag address delta
 *   REALLOC  (3): zigzag old-address delta | varint size | zigzag new-address delta | varint duration, ns
 *   FREE     (4): zigzag address delta
 *   ALLOCATE (5): varint size | varint alignment | zigzag address delta
 *   FREE_SEG (6): zigzag address delta
 * </pre>
 * Times are nanoseconds since the trace started; deltas run per thread and per chunk, from 0 and address 0 at the start
 * of each chunk, so every chunk decodes alone. An allocating event is stamped when the call returned, a free when it
 * was called (so a free sorts before the allocation that reuses its address); a realloc at its call, plus its duration.
 */
public final class TraceFormat {
    public static final byte[] MAGIC = {'H', 'K', 'M', 'T', 'R', 'A', 'C', 'E'};
    public static final int VERSION = 1;

    public static final int THREAD = 1;
    public static final int CHUNK = 2;
    public static final int END = 3;

    public static final int MALLOC = 1;
    public static final int CALLOC = 2;
    public static final int REALLOC = 3;
    public static final int FREE = 4;
    public static final int ALLOCATE = 5;
    public static final int FREE_SEG = 6;

    /** The most bytes one event takes: op, then at most four 10-byte varints. */
    static final int MAX_EVENT_BYTES = 1 + 4 * 10 + 10;

    private TraceFormat() {
    }
}
