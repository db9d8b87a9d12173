package hakmem.api;

import java.util.List;
import java.util.NoSuchElementException;

/**
 * An immutable snapshot of an allocator's statistics: one declared list of counts (with current, peak and
 * total) and monotonic counters. Names are stable {@code snake_case} identifiers such as {@code mmap_calls}.
 *
 * @param version  the snapshot format version ({@value #FORMAT_VERSION})
 * @param policy   the policy id in force
 * @param counts   quantities that go up and down (e.g. {@code superslabs}), in declaration order
 * @param counters quantities that only increase (e.g. {@code madvise_calls}), in declaration order
 */
public record AllocatorStats(int version, String policy, List<Count> counts, List<Counter> counters) {

    /** The current format version of snapshots and of their JSON form. */
    public static final int FORMAT_VERSION = 1;

    public AllocatorStats {
        counts = List.copyOf(counts);
        counters = List.copyOf(counters);
    }

    /**
     * A quantity that goes up and down.
     *
     * @param name    its name
     * @param current the value now
     * @param peak    the highest value seen
     * @param total   the sum of all increases
     */
    public record Count(String name, long current, long peak, long total) {
    }

    /** A quantity that only increases. */
    public record Counter(String name, long value) {
    }

    /** The count with this name; {@link NoSuchElementException} if there is none. */
    public Count count(String name) {
        for (Count c : counts) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        throw new NoSuchElementException("no count named '" + name + "'; counts: "
                + counts.stream().map(Count::name).toList());
    }

    /** The value of the counter with this name; {@link NoSuchElementException} if there is none. */
    public long counter(String name) {
        for (Counter c : counters) {
            if (c.name().equals(name)) {
                return c.value();
            }
        }
        throw new NoSuchElementException("no counter named '" + name + "'; counters: "
                + counters.stream().map(Counter::name).toList());
    }

    /** The snapshot as one JSON object (no external library needed to read it: names are plain identifiers). */
    public String toJson() {
        StringBuilder sb = new StringBuilder(1024);
        sb.append("{\"version\":").append(version).append(",\"policy\":\"").append(escape(policy)).append("\",\"counts\":{");
        for (int i = 0; i < counts.size(); i++) {
            Count c = counts.get(i);
            if (i > 0) {
                sb.append(',');
            }
            sb.append('"').append(escape(c.name())).append("\":{\"current\":").append(c.current())
                    .append(",\"peak\":").append(c.peak()).append(",\"total\":").append(c.total()).append('}');
        }
        sb.append("},\"counters\":{");
        for (int i = 0; i < counters.size(); i++) {
            Counter c = counters.get(i);
            if (i > 0) {
                sb.append(',');
            }
            sb.append('"').append(escape(c.name())).append("\":").append(c.value());
        }
        return sb.append("}}").toString();
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (ch < 0x20) {
                        sb.append(String.format("\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
                }
            }
        }
        return sb.toString();
    }
}
