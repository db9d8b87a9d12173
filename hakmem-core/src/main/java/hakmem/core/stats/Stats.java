package hakmem.core.stats;

import hakmem.api.AllocatorStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The stats box: the values of {@link Stat} plus the counters a policy plugin declares. Updated on slow paths only
 * (the malloc/free fast path counts nothing), so plain atomics are cheap enough.
 */
public final class Stats {

    private final AtomicLong[] current = new AtomicLong[Stat.values().length];
    private final AtomicLong[] peak = new AtomicLong[Stat.values().length];
    private final LongAdder[] total = new LongAdder[Stat.values().length];
    private final Map<String, LongAdder> extra = new LinkedHashMap<>();
    /** Per stat, the stat that follows it ({@link #derive}), or null. */
    private final Stat[] derived = new Stat[Stat.values().length];
    private final long[] derivedPerUnit = new long[Stat.values().length];
    /** Per stat, figures kept by their owner ({@link #external}), or null. */
    private final External[] external = new External[Stat.values().length];

    /**
     * Figures of a stat kept by their owner in plain fields under its own lock, where the owner updates them on every
     * call of a path too frequent for atomics (the large-block heap: a malloc and a free each changed four counts).
     * Read only when the stats are read.
     */
    public interface External {
        /** The current value (a count). */
        long current();

        /** The highest current value so far (a count). */
        long peak();

        /** The sum of the increases (a count), or the value (a counter). */
        long total();
    }

    public Stats(List<String> extraCounters) {
        for (int i = 0; i < current.length; i++) {
            current[i] = new AtomicLong();
            peak[i] = new AtomicLong();
            total[i] = new LongAdder();
        }
        for (String name : extraCounters) {
            if (!name.matches("[a-z0-9_]+")) {
                throw new IllegalArgumentException("counter name must be snake_case: '" + name + "'");
            }
            for (Stat s : Stat.values()) {
                if (s.statName().equals(name)) {
                    throw new IllegalArgumentException("counter '" + name + "' clashes with a core statistic");
                }
            }
            if (extra.put(name, new LongAdder()) != null) {
                throw new IllegalArgumentException("counter '" + name + "' declared twice");
            }
        }
    }

    /**
     * From now on every change of the count {@code source} also changes the count {@code target} by
     * {@code perUnit} times as much (e.g. each large mapping costs its bookkeeping bytes). Set up before use.
     */
    public void derive(Stat source, Stat target, long perUnit) {
        if (source.kind() != Stat.Kind.COUNT || target.kind() != Stat.Kind.COUNT || source == target) {
            throw new IllegalArgumentException("derive: " + source + " -> " + target + " must link two different counts");
        }
        derived[source.ordinal()] = target;
        derivedPerUnit[source.ordinal()] = perUnit;
    }

    /**
     * From now on {@code stat} also includes {@code source}'s figures: reads add them to what {@link #add} counted
     * (the peak is then the sum of both peaks, an upper bound when both move). A later call for the same stat
     * replaces the source (a new allocator on reused stats). Set up before use.
     */
    public void external(Stat stat, External source) {
        external[stat.ordinal()] = source;
    }

    /** Adds to a counter, or to a count's current value (and total, for positive deltas). */
    public void add(Stat stat, long delta) {
        int i = stat.ordinal();
        Stat follower = derived[i];
        if (follower != null) {
            add(follower, delta * derivedPerUnit[i]);
        }
        if (stat.kind() == Stat.Kind.COUNTER) {
            total[i].add(delta);
            return;
        }
        long now = current[i].addAndGet(delta);
        if (delta > 0) {
            total[i].add(delta);
            AtomicLong p = peak[i];
            long seen;
            while (now > (seen = p.get()) && !p.compareAndSet(seen, now)) {
                // retry: another thread raised the peak concurrently
            }
        }
    }

    public void increment(Stat stat) {
        add(stat, 1);
    }

    /** Sets a flag counter to 1 (idempotent). */
    public void flag(Stat stat) {
        if (total[stat.ordinal()].sum() == 0) {
            total[stat.ordinal()].increment();
        }
    }

    public long get(Stat stat) {
        int i = stat.ordinal();
        External e = external[i];
        if (stat.kind() == Stat.Kind.COUNTER) {
            return total[i].sum() + (e == null ? 0 : e.total());
        }
        return current[i].get() + (e == null ? 0 : e.current());
    }

    /** Adds to a plugin-declared counter. */
    public void addExtra(String name, long delta) {
        LongAdder a = extra.get(name);
        if (a == null) {
            throw new IllegalArgumentException("unknown counter '" + name + "'; declared: " + extra.keySet());
        }
        a.add(delta);
    }

    public AllocatorStats snapshot(String policy) {
        List<AllocatorStats.Count> counts = new ArrayList<>();
        List<AllocatorStats.Counter> counters = new ArrayList<>();
        for (Stat s : Stat.values()) {
            int i = s.ordinal();
            External e = external[i];
            if (s.kind() == Stat.Kind.COUNT) {
                long cur = current[i].get() + (e == null ? 0 : e.current());
                long pk = peak[i].get() + (e == null ? 0 : e.peak());
                long tot = total[i].sum() + (e == null ? 0 : e.total());
                counts.add(new AllocatorStats.Count(s.statName(), cur, Math.max(cur, pk), tot));
            } else {
                counters.add(new AllocatorStats.Counter(s.statName(), total[i].sum() + (e == null ? 0 : e.total())));
            }
        }
        extra.forEach((name, v) -> counters.add(new AllocatorStats.Counter(name, v.sum())));
        return new AllocatorStats(AllocatorStats.FORMAT_VERSION, policy, counts, counters);
    }
}
