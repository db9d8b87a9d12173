package hakmem.bench.subject;

import hakmem.api.AllocatorStats;

/**
 * One allocator under test: a hakmem policy or a peer. Workloads see blocks as {@code long} handles: for most
 * subjects the handle is the address; subjects that hand out objects (Netty buffers, arenas) keep the objects in
 * a {@link HandleTable} and return its index. Handle 0 is never a block.
 *
 * <p>Each forked run loads exactly one subject class, so the workload's calls to {@link #malloc}, {@link #free}
 * and {@link #address} stay monomorphic and inline.
 */
public abstract class Subject implements AutoCloseable {

    /** The subject's id as given to {@code --policies} or {@code --peers}. */
    public abstract String id();

    /** {@code policy} for hakmem policies, {@code peer} for the others. */
    public abstract String kind();

    /** Allocates {@code size} bytes and returns the block's handle (never 0). */
    public abstract long malloc(long size);

    /** Frees a block by handle; may be called from any thread. */
    public abstract void free(long handle);

    /** The address of the block behind a handle. */
    public long address(long handle) {
        return handle;
    }

    /** A thread to run workload code on (Netty wants its own thread class for its thread caches). */
    public Thread newThread(Runnable body, String name) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }

    /** The allocator's own resident bytes (mincore over its mappings), or -1 if it cannot tell. */
    public long residentBytes() {
        return -1;
    }

    /** A stats snapshot, or {@code null} for subjects without one. */
    public AllocatorStats stats() {
        return null;
    }

    /**
     * The virtual clock of a subject that runs on the simulated OS ({@code --os sim}), or null for a real one: the run
     * then takes its times, marks and samples from it.
     */
    public hakmem.bench.sim.SimClock simClock() {
        return null;
    }

    /** One line on how this subject was set up (e.g. the library it loaded). */
    public String detail() {
        return "";
    }

    @Override
    public void close() {
    }
}
