package hakmem.core.reliability;

import com.google.inject.Module;
import hakmem.api.Allocator;
import hakmem.api.spi.AllocatorProvider;
import hakmem.api.spi.OsBox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shared knobs and helpers of the reliability suite (see docs/reliability.md).
 *
 * <p>Everything here goes through the public API ({@link AllocatorProvider#open}) and the SPI (an {@link OsBox}
 * bound through a Guice override module); nothing touches the core's internals.
 *
 * <p>Knobs (JVM system properties, passed through by surefire from {@code mvn -D...}):
 * <ul>
 *   <li>{@code hakmem.reliability.policies}: comma-separated policy ids to run on (default: every built-in one)</li>
 *   <li>{@code hakmem.reliability.tries}: action chains per policy in the model check (default 40)</li>
 *   <li>{@code hakmem.reliability.steps}: maximum operations per chain (default 60)</li>
 *   <li>{@code hakmem.reliability.stress.seconds}: time budget of each concurrency stress test (default 3)</li>
 *   <li>{@code hakmem.reliability.soak.seconds}: in-process soak length per policy (default 12)</li>
 *   <li>{@code hakmem.reliability.threads.phases}, {@code .threads.ops}, {@code .threads.seed}: barriers per
 *       configuration (default 10), operations per thread between barriers (default 250) and the seed of
 *       {@link ThreadsUnderFaultsTest}</li>
 *   <li>{@code hakmem.reliability.ticker.audit.rounds}: rounds of {@link AuditUnderTickerTest} (default 40)</li>
 * </ul>
 */
final class Reliability {

    /** Every built-in policy: the core's {@code keep} and the plugins that are test dependencies of hakmem-core. */
    static final List<String> BUILT_IN_POLICIES = List.of("keep", "lean", "balanced", "speed");

    /** Lean at its most eager: decommit at once, keep one empty slab per class (the plugin's default keeps 8). */
    static final Map<String, String> EAGER_DECOMMIT = Map.of(
            "ss.mem.lean.decommit", "DONTNEED",
            "ss.mem.lean.delay.ms", "0",
            "lean.keep.slabs", "1");

    static final long KiB = 1024;
    static final long MiB = 1024 * KiB;

    private Reliability() {
    }

    /** The policies under test: {@code -Dhakmem.reliability.policies} or every built-in one. */
    static List<String> policies() {
        String p = System.getProperty("hakmem.reliability.policies", "");
        if (p.isBlank()) {
            return BUILT_IN_POLICIES;
        }
        return Arrays.stream(p.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    static int knob(String name, int defaultValue) {
        return Integer.getInteger("hakmem.reliability." + name, defaultValue);
    }

    static Allocator open(String policy) {
        return open(policy, Map.of());
    }

    static Allocator open(String policy, Map<String, String> options) {
        return AllocatorProvider.load().open(policy, options, List.of());
    }

    /** Opens an allocator whose OS primitive is {@code box} (bound through a Guice override module). */
    static Allocator open(String policy, Map<String, String> options, OsBox box) {
        Module override = binder -> binder.bind(OsBox.class).toInstance(box);
        return AllocatorProvider.load().open(policy, options, List.of(override));
    }

    static String hex(long address) {
        return "0x" + Long.toHexString(address);
    }

    /**
     * Appends figures (operations checked, threads, faults, ...) to {@code target/reliability/figures.txt}, one
     * {@code test key=value ...} line per call, so that docs/reliability.md can quote what a run actually did.
     */
    static synchronized void recordFigures(String test, Map<String, ?> figures) {
        StringBuilder line = new StringBuilder(test);
        new LinkedHashMap<>(figures).forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
        System.out.println("[reliability] " + line);
        try {
            Path dir = Path.of(System.getProperty("hakmem.reliability.out", "target/reliability"));
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("figures.txt"), line.append('\n').toString(),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
