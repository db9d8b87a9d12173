package hakmem.bench.report;

import java.io.Console;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress of a long command: a bar redrawn in place on a terminal, plain lines otherwise (logs, CI, pipes).
 * Writes to standard error so that standard output stays machine-readable.
 */
public final class Progress {
    private final PrintStream err;
    private final boolean terminal;
    private final int total;
    private final long started = System.nanoTime();
    private int done;
    private String lastBar = "";

    public Progress(int total, PrintStream err, boolean terminal) {
        this.total = total;
        this.err = err;
        this.terminal = terminal;
    }

    /** A progress for this process: a bar if standard error's console is a terminal. */
    public static Progress forConsole(int total) {
        Console c = System.console();
        return new Progress(total, System.err, c != null && c.isTerminal());
    }

    public boolean terminal() {
        return terminal;
    }

    /** A step starts: redraws the bar with the step's name. */
    public synchronized void start(String step) {
        if (terminal) {
            draw(step, 0);
        }
    }

    /** Progress inside the current step (0..1); only the bar shows it. */
    public synchronized void within(String step, double fraction) {
        if (terminal) {
            draw(step, fraction);
        }
    }

    /** A step ended with a one-line result. */
    public synchronized void done(String step, String result) {
        done++;
        if (terminal) {
            err.print("\r\033[2K");
            err.println(String.format(Locale.ROOT, "  %-40s %s", step, result));
            draw("", 0);
        } else {
            err.println(String.format(Locale.ROOT, "[%d/%d] %s: %s", done, total, step, result));
        }
        err.flush();
    }

    public synchronized void line(String text) {
        if (terminal) {
            err.print("\r\033[2K");
        }
        err.println(text);
        if (terminal && done < total) {
            draw("", 0);
        }
        err.flush();
    }

    public synchronized void finish() {
        if (terminal) {
            err.print("\r\033[2K");
            err.flush();
        }
    }

    private void draw(String step, double fraction) {
        int width = 30;
        double f = total == 0 ? 1 : Math.min(1, (done + fraction) / total);
        int filled = (int) Math.round(f * width);
        double elapsed = (System.nanoTime() - started) / 1e9;
        String eta = f > 0.02 ? String.format(Locale.ROOT, " ETA %ds", Math.round(elapsed / f - elapsed)) : "";
        String bar = String.format(Locale.ROOT, "\r\033[2K[%s%s] %d/%d %s%s", "#".repeat(filled), ".".repeat(width - filled),
                done, total, step, eta);
        if (!bar.equals(lastBar)) {
            err.print(bar);
            err.flush();
            lastBar = bar;
        }
    }
}
