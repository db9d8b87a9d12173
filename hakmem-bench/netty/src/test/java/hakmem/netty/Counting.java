package hakmem.netty;

import hakmem.api.Allocator;
import hakmem.api.AllocatorStats;
import hakmem.api.OptionValue;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A hakmem allocator that keeps the set of live blocks, and fails a free of a block it does not hold. */
final class Counting implements Allocator {
    private final Allocator inner;
    final Set<Long> live = ConcurrentHashMap.newKeySet();

    Counting(Allocator inner) {
        this.inner = inner;
    }

    @Override
    public long malloc(long size) {
        long a = inner.malloc(size);
        live.add(a);
        return a;
    }

    @Override
    public long calloc(long count, long size) {
        long a = inner.calloc(count, size);
        live.add(a);
        return a;
    }

    @Override
    public long realloc(long address, long size) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void free(long address) {
        if (!live.remove(address)) {
            throw new AssertionError("free of 0x" + Long.toHexString(address) + ", not live");
        }
        inner.free(address);
    }

    @Override
    public long usableSize(long address) {
        return inner.usableSize(address);
    }

    @Override
    public long trim() {
        return inner.trim();
    }

    @Override
    public MemorySegment allocate(long byteSize, long byteAlignment) {
        MemorySegment s = inner.allocate(byteSize, byteAlignment);
        live.add(s.address());
        return s;
    }

    @Override
    public void free(MemorySegment segment) {
        free(segment.address());
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

    @Override
    public void close() {
        inner.close();
    }
}
