package hakmem.core.trace;

import hakmem.api.Allocator;
import hakmem.api.AllocatorStats;
import hakmem.api.OptionValue;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * The allocator with a trace: every successful malloc, calloc, realloc, free, allocate and free(segment) is recorded
 * by a {@link TraceWriter} (size, thread, time, address), then the call's result is returned unchanged. The
 * bootstrap wraps the allocator in it only when the {@code hakmem.trace} option names a file, so an untraced
 * allocator's hot path is the plain one. A call that throws is not recorded; {@code free(0)} is not recorded.
 */
public final class TracingAllocator implements Allocator {
    private final Allocator inner;
    private final TraceWriter trace;

    public TracingAllocator(Allocator inner, TraceWriter trace) {
        this.inner = inner;
        this.trace = trace;
    }

    @Override
    public long malloc(long size) {
        long a = inner.malloc(size);
        TraceWriter.Recorder r = trace.recorder();
        if (r != null) {
            r.begin(TraceFormat.MALLOC, trace.now());
            r.varint(size);
            r.address(a);
            r.end();
        }
        return a;
    }

    @Override
    public long calloc(long count, long size) {
        long a = inner.calloc(count, size);
        TraceWriter.Recorder r = trace.recorder();
        if (r != null) {
            r.begin(TraceFormat.CALLOC, trace.now());
            r.varint(count);
            r.varint(size);
            r.address(a);
            r.end();
        }
        return a;
    }

    @Override
    public long realloc(long address, long size) {
        long t0 = trace.now();
        long a = inner.realloc(address, size);
        TraceWriter.Recorder r = trace.recorder();
        if (r != null) {
            long t1 = trace.now();
            r.begin(TraceFormat.REALLOC, t0);
            r.address(address);
            r.varint(size);
            r.address(a);
            r.varint(t1 - t0);
            r.end();
        }
        return a;
    }

    @Override
    public void free(long address) {
        long t = trace.now();
        inner.free(address);
        if (address != 0) {
            freed(TraceFormat.FREE, t, address);
        }
    }

    @Override
    public MemorySegment allocate(long byteSize, long byteAlignment) {
        MemorySegment s = inner.allocate(byteSize, byteAlignment);
        TraceWriter.Recorder r = trace.recorder();
        if (r != null) {
            r.begin(TraceFormat.ALLOCATE, trace.now());
            r.varint(byteSize);
            r.varint(byteAlignment);
            r.address(s.address());
            r.end();
        }
        return s;
    }

    @Override
    public void free(MemorySegment segment) {
        long t = trace.now();
        inner.free(segment);
        freed(TraceFormat.FREE_SEG, t, segment.address());
    }

    private void freed(int op, long time, long address) {
        TraceWriter.Recorder r = trace.recorder();
        if (r != null) {
            r.begin(op, time);
            r.address(address);
            r.end();
        }
    }

    @Override
    public long usableSize(long address) {
        return inner.usableSize(address);
    }

    @Override
    public long trim() { // not an allocation call: not recorded
        return inner.trim();
    }

    @Override
    public AllocatorStats stats() {
        return inner.stats();
    }

    @Override
    public long residentBytes() {
        return inner.residentBytes();
    }

    @Override
    public String policy() {
        return inner.policy();
    }

    @Override
    public List<OptionValue> options() {
        return inner.options();
    }

    /** Completes the trace file, then closes the allocator. */
    @Override
    public void close() {
        try {
            trace.close();
        } finally {
            inner.close();
        }
    }
}
