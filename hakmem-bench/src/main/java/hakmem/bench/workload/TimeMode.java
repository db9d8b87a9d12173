package hakmem.bench.workload;

import java.util.Locale;

/**
 * How a trace replay treats the recorded time between events ({@code --time}): {@code real} keeps the idle gaps as
 * recorded (an event waits for its recorded time), {@code compress} drops them (events run back to back), {@code scale=X}
 * multiplies every recorded time by X (X = 0.1: ten times faster; 2: half speed).
 */
public record TimeMode(String text, double factor) {
    public static final TimeMode REAL = new TimeMode("real", 1);
    public static final TimeMode COMPRESS = new TimeMode("compress", 0);

    public static TimeMode parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("real")) {
            return REAL;
        }
        if (t.equals("compress")) {
            return COMPRESS;
        }
        if (t.startsWith("scale=")) {
            double x;
            try {
                x = Double.parseDouble(t.substring("scale=".length()));
            } catch (NumberFormatException e) {
                x = Double.NaN;
            }
            if (!(x > 0) || Double.isInfinite(x) || x > 1e6) {
                throw new IllegalArgumentException("--time " + text + ": the scale must be a number in (0, 1e6], e.g. scale=0.5");
            }
            return new TimeMode("scale=" + x, x);
        }
        throw new IllegalArgumentException("--time " + text + ": expected real, compress or scale=X");
    }

    public boolean compress() {
        return factor == 0;
    }

    /** The replay time of a recorded time, in ns after the start. */
    public long at(long recordedNanos) {
        return factor == 1 ? recordedNanos : (long) (recordedNanos * factor);
    }
}
