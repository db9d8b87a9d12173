package hakmem.bench.report;

import java.util.Locale;

/** Number formats for tables and reports. */
public final class Format {
    /** A workload id or label as part of a file name: a trace's id holds its path ({@code trace:dir/file.hkt.gz}). */
    public static String fileLabel(String id) {
        return id.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private Format() {
    }

    public static String bytes(double b) {
        if (Double.isNaN(b) || b < 0) {
            return "n/a";
        }
        if (b >= 1 << 30) {
            return String.format(Locale.ROOT, "%.2f GiB", b / (1 << 30));
        }
        if (b >= 1 << 20) {
            return String.format(Locale.ROOT, "%.1f MiB", b / (1 << 20));
        }
        if (b >= 1 << 10) {
            return String.format(Locale.ROOT, "%.0f KiB", b / (1 << 10));
        }
        return String.format(Locale.ROOT, "%.0f B", b);
    }

    /** Decimal megabytes (10^6 bytes), as targets are stated. */
    public static String mb(double b) {
        return Double.isNaN(b) || b < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f MB", b / 1e6);
    }

    public static String mib(double b) {
        return Double.isNaN(b) || b < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", b / (1 << 20));
    }

    public static String ops(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%.2f M", v / 1e6);
    }

    public static String ratio(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "n/a" : String.format(Locale.ROOT, "%.2fx", v);
    }

    /**
     * A summary's footprint as a multiple of its live bytes, e.g. {@code 1.31x}; marked {@code *} when it is process
     * RSS over the JVM baseline (peers) rather than allocator resident; {@code n/a} without live bytes.
     */
    public static String peakOverLive(Summary s) {
        String r = ratio(s.peakOverLive());
        return Summary.RSS_OVER_BASELINE.equals(s.peakOverLiveMeasure()) ? r + "*" : r;
    }

    /** The footnote for {@link #peakOverLive}'s mark. */
    public static final String PEAK_OVER_LIVE_RSS_NOTE = "* peers: (peak RSS - RSS at the run's start, the JVM baseline) / "
            + "peak live; they cannot report their own resident bytes, so it includes what the JVM itself grew by";

    /** The allocator's own footprint of a summary: resident + metadata, or n/a for peers (they cannot tell). */
    public static String footprint(Summary s) {
        return Double.isNaN(s.allocFootprintMax()) ? "n/a" : bytes(s.allocFootprintMax());
    }

    public static String percent(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%+.2f%%", v * 100);
    }

    public static String sci(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        return v == 0 ? "0" : String.format(Locale.ROOT, "%.2e", v);
    }

    /** MiB-seconds, e.g. {@code 12.3}. */
    public static String mibSeconds(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, v >= 100 ? "%.0f" : "%.2f", v);
    }

    /** A duration in ms: {@code 40 ms}, {@code 1.24 s}; {@code never} for +Infinity, {@code n/a} for NaN. */
    public static String millis(double ms) {
        if (Double.isNaN(ms)) {
            return "n/a";
        }
        if (ms == Double.POSITIVE_INFINITY) {
            return "never";
        }
        return ms < 1000 ? String.format(Locale.ROOT, "%.0f ms", ms) : String.format(Locale.ROOT, "%.2f s", ms / 1000);
    }

    /** A plain decimal with one fraction digit, {@code n/a} for NaN. */
    public static String decimal(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "n/a" : String.format(Locale.ROOT, "%.1f", v);
    }
}
