package hakmem.bench.subject;

import hakmem.api.Allocator;
import hakmem.api.AllocatorStats;
import hakmem.api.Hakmem;

/** A hakmem allocator opened with one policy; options come from -Dhakmem.* and HAKMEM_* as usual. */
final class HakmemSubject extends Subject {
    private final String policy;
    private final Allocator allocator;

    HakmemSubject(String policy) {
        this.policy = policy;
        this.allocator = Hakmem.open(policy);
    }

    @Override
    public String id() {
        return policy;
    }

    @Override
    public String kind() {
        return "policy";
    }

    @Override
    public long malloc(long size) {
        return allocator.malloc(size);
    }

    @Override
    public void free(long handle) {
        allocator.free(handle);
    }

    @Override
    public long residentBytes() {
        return allocator.residentBytes();
    }

    @Override
    public AllocatorStats stats() {
        return allocator.stats();
    }

    @Override
    public String detail() {
        return "hakmem policy " + allocator.policy();
    }

    @Override
    public void close() {
        allocator.close();
    }
}
