package hakmem.bench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One view of a {@link Comparison}: the console table, the CSV files, results.json, report.md, the charts. Each
 * reporter reads the typed model only, never another reporter's output.
 */
public interface Reporter {
    /** Writes this view; returns the files written (none for the console). */
    List<Path> report(Comparison c) throws IOException;
}
