package hakmem.api.spi;

import hakmem.api.AllocatorStats;

/**
 * Where the allocator reports its statistics when {@code hakmem.ss.os.stats} ({@code HAKMEM_SS_OS_STATS=1}) is
 * on: at close and at JVM exit. The default prints one line per counter to standard error.
 */
public interface StatsSink {

    /**
     * Reports a snapshot.
     *
     * @param stats the snapshot
     * @param when  {@code "close"} or {@code "exit"}
     */
    void report(AllocatorStats stats, String when);
}
