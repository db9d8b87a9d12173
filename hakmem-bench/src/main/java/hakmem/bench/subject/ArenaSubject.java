package hakmem.bench.subject;

import java.lang.foreign.Arena;

/**
 * One {@link Arena} per block: {@code Arena.ofConfined()}, closed at free. A confined arena can only be closed by
 * its owner thread, so on workloads that free across threads the subject uses {@code Arena.ofShared()} instead
 * (said in its {@link #detail()} and in the results).
 */
final class ArenaSubject extends Subject {
    private final HandleTable<Arena> table;
    private final boolean shared;

    ArenaSubject(int maxLive, boolean crossThreadFrees) {
        table = new HandleTable<>(maxLive);
        shared = crossThreadFrees;
    }

    @Override
    public String id() {
        return "arena";
    }

    @Override
    public String kind() {
        return "peer";
    }

    @Override
    public long malloc(long size) {
        Arena a = shared ? Arena.ofShared() : Arena.ofConfined();
        return table.put(a, a.allocate(size, 16).address());
    }

    @Override
    public void free(long handle) {
        table.take(handle).close();
    }

    @Override
    public long address(long handle) {
        return table.address(handle);
    }

    @Override
    public String detail() {
        return shared ? "Arena.ofShared() per block (this workload frees across threads; confined arenas cannot)"
                : "Arena.ofConfined() per block";
    }
}
