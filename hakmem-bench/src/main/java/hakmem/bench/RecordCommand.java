package hakmem.bench;

import hakmem.api.Allocator;
import hakmem.api.Hakmem;
import hakmem.bench.programs.Program;
import hakmem.bench.trace.Trace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Runs one of the bundled programs on a traced hakmem allocator and writes its allocation trace: what the shipped
 * traces under hakmem-bench/traces/ were made with. A program of your own is recorded with {@code -Dhakmem.trace=FILE}.
 */
@Command(name = "record", mixinStandardHelpOptions = true,
        description = {"Run a bundled real program on hakmem with tracing on and write its allocation trace "
                + "(replay it with compare --workload trace:FILE).",
            "Programs: netty-http (Netty HTTP server and client on loopback through HakmemByteBufAllocator), "
                + "offheap-cache (an off-heap LRU cache under Zipf load). Your own program: run it with -Dhakmem.trace=FILE."})
final class RecordCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "the program: netty-http or offheap-cache")
    String program;

    @Option(names = "--out", required = true, description = "the trace file; a name ending in .gz is written gzip-compressed (as with -Dhakmem.trace)")
    Path out;

    @Option(names = "--seconds", defaultValue = "10", description = "how long the program runs (default ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--policy", defaultValue = "balanced", description = "the policy the program runs on (default ${DEFAULT-VALUE})")
    String policy;

    @Option(names = "--seed", defaultValue = "42", description = "the program's random seed (default ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() throws Exception {
        Program p = Program.byId(program);
        String what;
        long t0 = System.nanoTime();
        try (Allocator heap = Hakmem.open(policy, Map.of("trace", out.toString()))) {
            what = p.run(heap, seconds, seed);
        }
        double took = (System.nanoTime() - t0) / 1e9;
        boolean gzip = out.getFileName().toString().endsWith(".gz");
        Trace tr = Trace.load(out); // the file reads back and is consistent
        System.out.println(String.format(Locale.ROOT,
                "%s (%.1f s on %s): %s%n%s: %d events, %d threads, %d blocks, %d cross-thread frees, %.1f s recorded, "
                        + "%d bytes%s (%.1f bytes per event)",
                p.id(), took, policy, what, out, tr.events(), tr.threads().size(), tr.blocks(), tr.crossThreadFrees(),
                tr.durationNanos() / 1e9, Files.size(out), gzip ? " gzip" : "", (double) Files.size(out) / Math.max(1, tr.events())));
        return 0;
    }
}
