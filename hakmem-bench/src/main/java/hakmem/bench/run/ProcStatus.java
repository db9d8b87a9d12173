package hakmem.bench.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's resident set from {@code /proc/self/status}: VmRSS now and VmHWM (the peak), in bytes. */
public final class ProcStatus {
    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcStatus() {
    }

    /** Current resident set (VmRSS) in bytes, or -1 where /proc is missing. */
    public static long rss() {
        return field("VmRSS:");
    }

    /** Peak resident set (VmHWM) in bytes, or -1 where /proc is missing. */
    public static long peakRss() {
        return field("VmHWM:");
    }

    static long field(String name) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(name)) {
                    return parseKb(line.substring(name.length()));
                }
            }
            return -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /** "  1234 kB" to bytes. */
    static long parseKb(String text) {
        String t = text.trim();
        int space = t.indexOf(' ');
        long v = Long.parseLong(space < 0 ? t : t.substring(0, space));
        return v * 1024;
    }
}
