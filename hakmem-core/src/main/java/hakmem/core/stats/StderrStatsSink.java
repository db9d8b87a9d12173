package hakmem.core.stats;

import hakmem.api.AllocatorStats;
import hakmem.api.spi.StatsSink;
import java.io.PrintStream;

/** The default stats sink: one line per statistic on standard error, prefixed {@code [hakmem-stats]}. */
public final class StderrStatsSink implements StatsSink {

    private final PrintStream out;

    public StderrStatsSink() {
        this(System.err);
    }

    public StderrStatsSink(PrintStream out) {
        this.out = out;
    }

    @Override
    public void report(AllocatorStats stats, String when) {
        StringBuilder sb = new StringBuilder();
        String prefix = "[hakmem-stats] " + when + " policy=" + stats.policy() + " ";
        for (AllocatorStats.Count c : stats.counts()) {
            sb.append(prefix).append(c.name()).append(" current=").append(c.current()).append(" peak=")
                    .append(c.peak()).append(" total=").append(c.total()).append('\n');
        }
        for (AllocatorStats.Counter c : stats.counters()) {
            sb.append(prefix).append(c.name()).append(' ').append(c.value()).append('\n');
        }
        out.print(sb);
        out.flush();
    }
}
