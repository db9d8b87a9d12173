package hakmem.bench.subject;

import hakmem.api.Allocator;
import hakmem.api.AllocatorStats;
import hakmem.api.Hakmem;

/**
 * A hakmem allocator opened with one policy; options come from the subject's inline options, which beat
 * -Dhakmem.* and HAKMEM_* as usual.
 */
final class HakmemSubject extends Subject {
    private final SubjectSpec spec;
    private final Allocator allocator;

    HakmemSubject(SubjectSpec spec) {
        this.spec = spec;
        this.allocator = Hakmem.open(spec.id(), spec.options());
    }

    @Override
    public String id() {
        return spec.label();
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
        return "hakmem policy " + allocator.policy() + (spec.options().isEmpty() ? "" : " with " + spec.options());
    }

    @Override
    public void close() {
        allocator.close();
    }
}
