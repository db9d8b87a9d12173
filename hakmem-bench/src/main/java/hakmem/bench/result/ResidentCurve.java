package hakmem.bench.result;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Resident bytes over time, as sampled: points in time order, each value held until the next point (a sampled
 * step function). Every figure derived from it has the resolution of the sampling: a change between two points
 * is seen at the later point, so times are exact to one sampling period (20 ms by default), and a fall and a
 * rise between the same two points cancel out.
 */
public record ResidentCurve(List<Point> points) {
    public static final double MIB = 1 << 20;

    /** Resident {@code bytes} at {@code tMs} milliseconds since the run started. */
    public record Point(double tMs, long bytes) {
    }

    public ResidentCurve {
        points = List.copyOf(points);
        for (int i = 1; i < points.size(); i++) {
            if (points.get(i).tMs() < points.get(i - 1).tMs()) {
                throw new IllegalArgumentException("points out of time order at index " + i + ": " + points);
            }
        }
    }

    /** A curve of points given in any order (sorted by time; points at the same time keep their order). */
    public static ResidentCurve of(List<Point> points) {
        List<Point> sorted = new ArrayList<>(points);
        sorted.sort(Comparator.comparingDouble(Point::tMs));
        return new ResidentCurve(sorted);
    }

    public boolean isEmpty() {
        return points.isEmpty();
    }

    /** The value held at {@code tMs}: the last point at or before it; NaN before the first point. */
    public double valueAt(double tMs) {
        double v = Double.NaN;
        for (Point p : points) {
            if (p.tMs() > tMs) {
                break;
            }
            v = p.bytes();
        }
        return v;
    }

    /**
     * The area under the curve between {@code fromMs} and {@code toMs}, in MiB-seconds (MiB = 2^20 bytes): each
     * value held from its point to the next. Before the first point nothing is counted. NaN for an empty curve.
     */
    public double mibSeconds(double fromMs, double toMs) {
        if (points.isEmpty()) {
            return Double.NaN;
        }
        double area = 0; // byte-milliseconds
        for (int i = 0; i < points.size(); i++) {
            double start = Math.max(fromMs, points.get(i).tMs());
            double end = Math.min(toMs, i + 1 < points.size() ? points.get(i + 1).tMs() : toMs);
            if (end > start) {
                area += points.get(i).bytes() * (end - start);
            }
        }
        return area / MIB / 1000;
    }

    /**
     * The first time in {@code [fromMs, toMs]} at which the held value is at most {@code threshold} bytes (the
     * value held at {@code fromMs} counts), or empty if it never is.
     */
    public OptionalDouble firstAtOrBelow(double fromMs, double toMs, double threshold) {
        double held = valueAt(fromMs);
        if (!Double.isNaN(held) && held <= threshold) {
            return OptionalDouble.of(fromMs);
        }
        for (Point p : points) {
            if (p.tMs() > fromMs && p.tMs() <= toMs && p.bytes() <= threshold) {
                return OptionalDouble.of(p.tMs());
            }
        }
        return OptionalDouble.empty();
    }

    /** The sum of the curve's falls between {@code fromMs} and {@code toMs}: resident bytes that left residency. */
    public long fallenBytes(double fromMs, double toMs) {
        long fallen = 0;
        Point prev = null;
        for (Point p : points) {
            if (p.tMs() > toMs) {
                break;
            }
            if (prev != null && p.tMs() >= fromMs && p.bytes() < prev.bytes()) {
                fallen += prev.bytes() - p.bytes();
            }
            prev = p;
        }
        return fallen;
    }

    /**
     * Bytes that left residency and came back within {@code windowMs}, between {@code fromMs} and {@code toMs}:
     * every fall of the curve is a credit of released bytes stamped with its time; every rise is bytes faulted in,
     * matched against the credits not older than the window, oldest first; the matched bytes are re-committed.
     */
    public long recommittedBytes(double fromMs, double toMs, double windowMs) {
        record Credit(double tMs, long[] bytes) {
        }
        ArrayDeque<Credit> credits = new ArrayDeque<>();
        long recommitted = 0;
        Point prev = null;
        for (Point p : points) {
            if (p.tMs() < fromMs) {
                prev = p;
                continue;
            }
            if (p.tMs() > toMs) {
                break;
            }
            if (prev != null) {
                long delta = p.bytes() - prev.bytes();
                if (delta < 0) {
                    credits.addLast(new Credit(p.tMs(), new long[] {-delta}));
                } else if (delta > 0) {
                    while (!credits.isEmpty() && credits.peekFirst().tMs() < p.tMs() - windowMs) {
                        credits.removeFirst();
                    }
                    long want = delta;
                    while (want > 0 && !credits.isEmpty()) {
                        long[] c = credits.peekFirst().bytes();
                        long take = Math.min(want, c[0]);
                        c[0] -= take;
                        want -= take;
                        recommitted += take;
                        if (c[0] == 0) {
                            credits.removeFirst();
                        }
                    }
                }
            }
            prev = p;
        }
        return recommitted;
    }
}
