package hakmem.bench.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hakmem.bench.subject.Subjects;
import hakmem.bench.workload.Params;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleConsumer;

/**
 * Runs {@code hakmem run} in a fresh JVM: the same java binary and module path as this one, native access for
 * the core and the bench, every {@code -Dhakmem.*} property of this JVM, plus any extra JVM arguments. The
 * child's standard error goes to a log file; its last JSON line on standard output is the result. A child that
 * dies, times out or prints no JSON gives a failed run object naming the cause and the log.
 */
public final class Forker {
    private final List<String> jvmArgs;
    private final long timeoutSeconds;
    private final boolean classDataSharing;
    private List<String> runArgs = List.of();

    public Forker(List<String> extraJvmArgs, long timeoutSeconds) {
        this(extraJvmArgs, timeoutSeconds, false);
    }

    /**
     * @param classDataSharing start runs with a dynamic CDS archive of the bench's classes (created by the first
     *                         run, reused by the others): about a third less JVM start-up per run. Used by
     *                         {@code --quick} only, so full runs keep the JVM's default class loading and memory.
     */
    public Forker(List<String> extraJvmArgs, long timeoutSeconds, boolean classDataSharing) {
        this.jvmArgs = List.copyOf(extraJvmArgs);
        this.timeoutSeconds = timeoutSeconds;
        this.classDataSharing = classDataSharing;
    }

    /** Extra arguments of every child's {@code run} command (e.g. {@code --time=compress}, {@code --os=sim}). */
    public Forker withRunArgs(List<String> args) {
        this.runArgs = List.copyOf(args);
        return this;
    }

    /** Where the CDS archive of this java binary and module path lives (the JVM rebuilds it if stale). */
    static Path cdsArchive(String modulePath) {
        String key = javaBinary() + "|" + modulePath + "|" + System.getProperty("java.class.path", "");
        return Path.of(System.getProperty("java.io.tmpdir"), String.format("hakmem-bench-%08x.jsa", key.hashCode()));
    }

    /** The java binary of this JVM. */
    static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** The -Dhakmem.* properties of this JVM, sorted. */
    static Map<String, String> hakmemProperties() {
        Map<String, String> out = new TreeMap<>();
        for (String k : System.getProperties().stringPropertyNames()) {
            if (k.startsWith("hakmem.") && !k.equals("hakmem.trace")) { // a recording is not every run's business
                out.put(k, System.getProperty(k));
            }
        }
        return out;
    }

    /**
     * Environment additions for a child. Debian's libjemalloc.so.2 uses initial-exec TLS, which glibc cannot
     * place once the process runs ("cannot allocate memory in static TLS block" at dlopen); a larger optional
     * static TLS reserve, set before the JVM starts, lets FFM load it without preloading it for the whole JVM.
     */
    static Map<String, String> environment(String subject, Map<String, String> current) {
        if (!subject.equals("ffm-jemalloc")) {
            return Map.of();
        }
        String t = current.get("GLIBC_TUNABLES");
        String add = "glibc.rtld.optional_static_tls=" + STATIC_TLS;
        return Map.of("GLIBC_TUNABLES", t == null || t.isBlank() ? add : t + ":" + add);
    }

    /** Bytes of optional static TLS reserved for ffm-jemalloc's children. */
    public static final int STATIC_TLS = 65536;

    /** The command line of one child run. */
    public List<String> command(String subject, String workload, Params p, long sampleMs) {
        String modulePath = System.getProperty("jdk.module.path");
        if (modulePath == null || modulePath.isBlank()) {
            throw new IllegalStateException("this JVM has no module path to hand to forked runs: launch the bench with "
                    + "-p hakmem-bench/target/modules (./hakmem does)");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBinary());
        cmd.add("--enable-native-access=hakmem.core,hakmem.bench,ALL-UNNAMED");
        cmd.add("--sun-misc-unsafe-memory-access=allow");
        cmd.add("-Djava.awt.headless=true");
        if (classDataSharing) {
            cmd.add("-XX:SharedArchiveFile=" + cdsArchive(modulePath));
            cmd.add("-XX:+AutoCreateSharedArchive");
        }
        hakmemProperties().forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.addAll(jvmArgs);
        cmd.add("-p");
        cmd.add(PluginPath.childModulePath(modulePath, PluginPath.fromEnvironment())); // --plugin-path reaches every run
        String classPath = System.getProperty("java.class.path");
        if (classPath != null && !classPath.isBlank()) {
            // test JVMs keep some jars (e.g. ASM for Guice) on the class path; automatic modules read it
            cmd.add("-cp");
            cmd.add(classPath);
        }
        cmd.add("--add-modules");
        cmd.add("ALL-MODULE-PATH");
        cmd.add("-m");
        cmd.add("hakmem.bench/hakmem.bench.Main");
        cmd.add("run");
        cmd.add("--subject=" + subject);
        cmd.add("--workload=" + workload);
        cmd.add("--ops=" + p.ops());
        cmd.add("--warmup=" + p.warmup());
        cmd.add("--threads=" + p.threads());
        cmd.add("--ws=" + p.ws());
        cmd.add("--burst-mb=" + p.burstMb());
        cmd.add("--idle-ms=" + p.idleMs());
        cmd.add("--cycles=" + p.cycles());
        cmd.add("--sample-ms=" + sampleMs);
        cmd.addAll(runArgs);
        cmd.add("--progress");
        return cmd;
    }

    /**
     * Runs one child and returns its result object, with a {@code fork} object added (exit code, wall time,
     * log file). {@code progress} receives the child's progress lines (0..1).
     */
    public ObjectNode run(String subject, String workload, Params p, long sampleMs, Path log, DoubleConsumer progress)
            throws IOException, InterruptedException {
        List<String> cmd = command(subject, workload, p, sampleMs);
        Files.createDirectories(log.getParent());
        long t0 = System.nanoTime();
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(log.toFile());
        pb.environment().remove("HAKMEM_TRACE"); // a recording is not every run's business (as -Dhakmem.trace)
        pb.environment().putAll(environment(subject, pb.environment()));
        Process proc = pb.start();
        String[] lastJson = {null};
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("{")) {
                        lastJson[0] = line;
                    } else if (line.startsWith("progress ")) {
                        try {
                            progress.accept(Double.parseDouble(line.substring(9)));
                        } catch (NumberFormatException e) {
                            // not a progress line
                        }
                    }
                }
            } catch (IOException e) {
                // the child died; handled below
            }
        }, "hakmem-fork-reader");
        reader.setDaemon(true);
        reader.start();
        boolean finished = proc.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!finished) {
            proc.destroyForcibly();
            proc.waitFor();
        }
        reader.join(5000);
        double wall = (System.nanoTime() - t0) / 1e9;
        ObjectNode result;
        if (lastJson[0] != null) {
            JsonNode parsed = Json.parse(lastJson[0]);
            result = parsed instanceof ObjectNode o ? o : Json.object();
        } else {
            result = Json.object();
            result.put("subject", subject);
            result.put("workload", workload);
            result.put("kind", Subjects.kindOf(subject));
            result.put("ok", false);
            result.put("error", (finished ? "the run's JVM exited with " + proc.exitValue() + " and printed no result"
                    : "the run timed out after " + timeoutSeconds + " s") + "; last lines of " + log + ": " + tail(log));
        }
        if (!finished && result.path("ok").asBoolean(false)) {
            result.put("ok", false);
            result.put("error", "the run timed out after " + timeoutSeconds + " s");
        }
        ObjectNode fork = result.putObject("fork");
        fork.put("exitCode", finished ? proc.exitValue() : -1);
        fork.put("wallSeconds", wall);
        fork.put("log", log.toString());
        return result;
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
