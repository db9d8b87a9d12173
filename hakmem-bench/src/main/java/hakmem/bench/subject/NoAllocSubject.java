package hakmem.bench.subject;

/**
 * The JVM baseline: the workload's loop with no allocator at all. {@code malloc} returns distinct fake addresses
 * (never memory: nothing is mapped) and {@code free} does nothing; the workloads neither stamp nor check blocks
 * in such a run ({@link hakmem.bench.workload.Mem#TOUCH}). What its run measures is the JVM's own footprint with
 * the workload's Java-side bookkeeping (tables, threads, the bench) and the same JVM options: compare reads every
 * subject's peak RSS over it.
 */
final class NoAllocSubject extends Subject {
    private long next;

    @Override
    public String id() {
        return Subjects.NO_ALLOC;
    }

    @Override
    public String kind() {
        return Subjects.BASELINE_KIND;
    }

    @Override
    public long malloc(long size) {
        return next += 16; // distinct, non-zero, 16-byte aligned; shared by threads racily: never dereferenced
    }

    @Override
    public void free(long handle) {
    }

    @Override
    public String detail() {
        return "no allocator: the workload's loop with fake addresses, no memory touched (the JVM baseline)";
    }
}
