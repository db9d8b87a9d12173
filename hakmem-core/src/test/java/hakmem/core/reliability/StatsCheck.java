package hakmem.core.reliability;

import hakmem.api.AllocatorStats;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stats consistency between snapshots: every count has {@code 0 <= current <= peak <= total}, every counter is
 * non-negative and never decreases, the declared names (docs/allocator.md, CONTEXT) are all there, and
 * {@code decommit_disabled} is 0 or 1.
 */
final class StatsCheck {

    static final List<String> COUNTS = List.of("superslabs", "slabs_in_use", "large_mappings", "mapped_bytes", "heaps");
    static final List<String> COUNTERS = List.of("mmap_calls", "mmap_bytes", "munmap_calls", "munmap_bytes",
            "madvise_calls", "madvise_bytes", "madvise_errors", "mincore_calls", "slabs_carved",
            "superslabs_prewarmed", "slabs_decommitted", "bytes_decommitted", "superslabs_retired", "remote_frees",
            "heaps_adopted", "invalid_frees", "double_frees", "decommit_disabled");

    private final Map<String, Long> previous = new HashMap<>();
    private long snapshots;

    long snapshots() {
        return snapshots;
    }

    AllocatorStats check(AllocatorStats s, String where) {
        snapshots++;
        if (s.version() != AllocatorStats.FORMAT_VERSION) {
            throw new AssertionError(where + ": stats version " + s.version());
        }
        for (String name : COUNTS) {
            s.count(name); // throws NoSuchElementException naming the missing count
        }
        for (String name : COUNTERS) {
            s.counter(name);
        }
        for (AllocatorStats.Count c : s.counts()) {
            if (c.current() < 0 || c.peak() < c.current() || c.total() < c.peak()) {
                throw new AssertionError(where + ": count " + c + " breaks 0 <= current <= peak <= total");
            }
            Long before = previous.put("peak:" + c.name(), c.peak());
            if (before != null && c.peak() < before) {
                throw new AssertionError(where + ": peak of " + c.name() + " fell from " + before + " to " + c.peak());
            }
            before = previous.put("total:" + c.name(), c.total());
            if (before != null && c.total() < before) {
                throw new AssertionError(where + ": total of " + c.name() + " fell from " + before + " to " + c.total());
            }
        }
        for (AllocatorStats.Counter c : s.counters()) {
            if (c.value() < 0) {
                throw new AssertionError(where + ": counter " + c + " is negative");
            }
            Long before = previous.put(c.name(), c.value());
            if (before != null && c.value() < before) {
                throw new AssertionError(where + ": counter " + c.name() + " fell from " + before + " to " + c.value());
            }
        }
        long disabled = s.counter("decommit_disabled");
        if (disabled != 0 && disabled != 1) {
            throw new AssertionError(where + ": decommit_disabled = " + disabled);
        }
        return s;
    }

    /** Forget history (a new allocator was opened). */
    void reset() {
        previous.clear();
    }
}
