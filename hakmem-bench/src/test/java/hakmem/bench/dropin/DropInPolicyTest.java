package hakmem.bench.dropin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.module.Configuration;
import java.lang.module.FindException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.module.ResolvedModule;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The researcher's path, end to end: a policy module that lives only in test resources ({@code dropin/halfhalf}:
 * its own module-info, {@code requires hakmem.api} and nothing else of hakmem-j) is compiled, packaged as a jar,
 * and dropped on the CLI's module path in a child JVM. With the jar the policy is listed (with its module) and
 * runs; without it, choosing it fails with the unknown-id error that lists every policy found.
 *
 * <p>The child's module path is what this test JVM runs with: in a surefire run the reactor's jars may not be
 * packaged into {@code hakmem-bench/target/modules} yet, so it is resolved from {@code jdk.module.path} and
 * {@code java.class.path}, keeping what {@code hakmem.bench} needs plus every provider of hakmem's services.
 */
class DropInPolicyTest {

    static final String ID = "halfhalf";
    static final String MODULE = "hakmem.policy.halfhalf";
    static final long TIMEOUT_SECONDS = 180;

    @TempDir
    static Path work;
    static Path jar;
    static Path brokenJar;
    static Path noProvidesJar;
    static List<Path> modulePath;

    @BeforeAll
    static void buildTheDropInJar() throws Exception {
        modulePath = cliModulePath();
        jar = buildJar("halfhalf", "halfhalf-policy.jar");
        // the jar is a proper module that provides the plugin
        ModuleReference ref = ModuleFinder.of(jar).find(MODULE).orElseThrow();
        assertThat(ref.descriptor().provides()).singleElement()
                .satisfies(p -> assertThat(p.providers()).containsExactly(MODULE + ".HalfHalfPlugin"));
        assertThat(ref.descriptor().requires()).extracting(r -> r.name()).contains("hakmem.api")
                .noneMatch(n -> n.startsWith("hakmem.") && !n.equals("hakmem.api"));
        brokenJar = buildJar("broken", "broken-policy.jar");
        noProvidesJar = buildJar("noprovides", "noprovides-policy.jar");
    }

    /** Compiles {@code dropin/<name>} against the API alone and jars it with its resources (META-INF). */
    static Path buildJar(String name, String jarName) throws Exception {
        Path sources = resourceDir("/dropin/" + name + "/module-info.java");
        Path classes = work.resolve(name + "-classes");
        List<String> javacArgs = new ArrayList<>(List.of("--release", "25", "-Xlint:all", "-Werror", "-d", classes.toString(),
                "--module-path", join(apiModulePath())));
        try (Stream<Path> files = Files.walk(sources)) {
            files.filter(p -> p.toString().endsWith(".java")).map(Path::toString).sorted().forEach(javacArgs::add);
        }
        Tool javac = run("javac", javacArgs);
        assertThat(javac.code).as("javac " + javacArgs + "\n" + javac.output).isZero();
        assertThat(classes.resolve("module-info.class")).exists();

        Path out = work.resolve(jarName);
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (JarOutputStream jarOut = new JarOutputStream(Files.newOutputStream(out), manifest)) {
            add(jarOut, classes, classes);
            add(jarOut, sources, sources.resolve("META-INF"));
        }
        return out;
    }

    @Test
    void listFindsTheDroppedInPolicyWithItsModuleAndOption() throws Exception {
        Child list = cli(true, "list");
        assertThat(list.code).as(list.describe()).isZero();
        assertThat(list.stdout).as(list.describe())
                .containsPattern("(?m)^\\s*" + ID + "\\s+" + Pattern.quote(MODULE) + "\\s+example drop-in")
                .containsPattern("(?m)^\\s*lean\\s+hakmem\\.policy\\.lean\\s")
                .containsPattern("(?m)^\\s*speed\\s+hakmem\\.policy\\.speed\\s")
                .containsPattern("(?m)^\\s*halfhalf\\.advice\\s+DONTNEED\\s")
                .containsPattern("(?m)^\\s*policy\\s+" + ID + "\\s+property -Dhakmem\\.policy");
    }

    @Test
    void runUsesTheDroppedInPolicy() throws Exception {
        Child run = cli(true, "run", "--subject=" + ID, "--workload=mixed", "--ops=300000", "--warmup=20000",
                "--sample-ms=0");
        assertThat(run.code).as(run.describe()).isZero();
        String json = run.lastJsonLine();
        assertThat(json).as(run.describe())
                .contains("\"subject\":\"" + ID + "\"")
                .contains("\"ok\":true")
                .contains("\"policy\":\"" + ID + "\"")
                .containsPattern("\"halfhalf_decommits\":[1-9]\\d*"); // the policy decided: it counted its decommits
    }

    @Test
    void withoutTheJarTheIdIsUnknownAndEveryPolicyFoundIsListed() throws Exception {
        Child list = cli(false, "list");
        assertThat(list.code).as(list.describe()).isZero();
        assertThat(list.stdout).doesNotContain(MODULE).doesNotContainPattern("(?m)^\\s*" + ID + "\\s+hakmem");

        Child run = cli(false, "run", "--subject=" + ID, "--workload=mixed", "--ops=1000", "--warmup=0", "--sample-ms=0");
        assertThat(run.code).as(run.describe()).isNotZero();
        String all = run.stdout + run.stderr;
        assertThat(all).as(run.describe())
                .contains("unknown policy '" + ID + "'")
                .contains("balanced (hakmem.policy.lean)")
                .contains("lean (hakmem.policy.lean)")
                .contains("speed (hakmem.policy.speed)")
                .contains("keep (hakmem.core)");
    }

    // ---- the plugin path (./hakmem --plugin-path, HAKMEM_PLUGIN_PATH) ----

    @Test
    void listShowsTheJarEachPolicyCameFromAndThePluginPath() throws Exception {
        Child list = cli(List.of(jar), "list");
        assertThat(list.code).as(list.describe()).isZero();
        assertThat(list.stdout).as(list.describe())
                .containsPattern("(?m)^\\s*" + ID + "\\s+" + Pattern.quote(MODULE) + "\\s+example drop-in.*\\R\\s+from "
                        + Pattern.quote(jar.toString()) + "$")
                .contains("plugin path (--plugin-path, HAKMEM_PLUGIN_PATH): " + jar)
                .containsPattern("(?m)^\\s*halfhalf\\.advice\\s+DONTNEED\\s.*\\R\\s+halfhalf: the madvise flavour it "
                        + "decommits with \\[halfhalf\\]$");
    }

    @Test
    void thePluginPathReachesEveryForkedRun() throws Exception {
        Path out = work.resolve("compare-out");
        Child compare = cli(List.of(jar), "compare", "--quick", "--runs=1", "--policies=" + ID, "--workload=mixed",
                "--ops=300000", "--warmup=20000", "--sample-ms=0", "--no-charts", "--out=" + out);
        assertThat(compare.code).as(compare.describe()).isZero();
        String results = Files.readString(out.resolve("results.json"));
        // the forked run's JVM found the policy (its module path had the jar) and the policy decided
        assertThat(results).as(compare.describe())
                .containsPattern("\"subject\"\\s*:\\s*\"" + ID + "\"")
                .containsPattern("\"halfhalf_decommits\"\\s*:\\s*[1-9]\\d*");
        assertThat(compare.stderr).doesNotContain("unknown policy");
    }

    @Test
    void aPluginPathEntryMissingFromTheModulePathIsAnError() throws Exception {
        Child list = cli(List.of(), Map.of("HAKMEM_PLUGIN_PATH", jar.toString()), "list");
        assertThat(list.code).as(list.describe()).isEqualTo(2);
        assertThat(list.stderr).contains("HAKMEM_PLUGIN_PATH entry " + jar + " is not on this JVM's module path")
                .contains("./hakmem --plugin-path");
    }

    @Test
    void checkPolicyPassesTheDroppedInPolicy() throws Exception {
        Child check = cli(List.of(jar), "check-policy", ID);
        assertThat(check.code).as(check.describe()).isZero();
        for (String name : List.of("plugin", "options", "builds", "option-values", "bounds", "callbacks", "handle-only",
                "claims", "thread-safety")) {
            assertThat(check.stdout).as(check.describe()).containsPattern("(?m)^\\s+PASS\\s+" + Pattern.quote(name) + "\\s");
        }
        assertThat(check.stdout).contains("module " + MODULE + " (" + jar + ")").doesNotContain("FAIL")
                .contains("counters [halfhalf_decommits] equal what the handle released");
    }

    @Test
    void checkPolicyFailsABrokenPolicyNamingTheChecks() throws Exception {
        Child check = cli(List.of(brokenJar), "check-policy", "broken");
        assertThat(check.code).as(check.describe()).isEqualTo(1);
        assertThat(check.stdout).as(check.describe())
                .containsPattern("(?m)^\\s+FAIL\\s+bounds\\s+.*tickIntervalMillis\\(\\) = 172800000, outside 0\\.\\.86400000")
                .containsPattern("(?m)^\\s+FAIL\\s+callbacks\\s+.*onSlabEmpty\\(C\\d+\\) threw IllegalStateException: broken on purpose")
                .containsPattern("(?m)^\\s+PASS\\s+handle-only\\s")
                .contains("checks FAILED: bounds, callbacks, thread-safety");
    }

    @Test
    void checkPolicyOfAnUnknownIdSaysHowToAddTheJar() throws Exception {
        Child check = cli(List.of(), "check-policy", "hyst");
        assertThat(check.code).as(check.describe()).isEqualTo(2);
        assertThat(check.stderr).contains("no policy 'hyst' found").contains("lean (hakmem.policy.lean)")
                .contains("./hakmem --plugin-path path/to/policy.jar check-policy hyst");
    }

    @Test
    void aModuleWithoutItsProvidesLineIsNamed() throws Exception {
        Child list = cli(List.of(noProvidesJar), "list");
        assertThat(list.code).as(list.describe()).isZero();
        assertThat(list.stdout).contains("WARNING: module hakmem.policy.noprovides (" + noProvidesJar + ") requires "
                + "hakmem.api but provides no policy");

        Child run = cli(List.of(noProvidesJar), "run", "--subject=forgotten", "--workload=mixed", "--ops=1000",
                "--warmup=0", "--sample-ms=0");
        assertThat(run.code).as(run.describe()).isNotZero();
        assertThat(run.stdout + run.stderr).as(run.describe())
                .contains("unknown policy 'forgotten'")
                .contains("providing no hakmem.api.spi.PolicyPlugin: hakmem.policy.noprovides (" + noProvidesJar + ")")
                .contains("add `provides hakmem.api.spi.PolicyPlugin with <its PolicyPlugin class>;` to its module-info.java")
                .doesNotContain("Put the policy's jar on the module path");
    }

    // ---- the child JVM ----

    record Child(List<String> command, int code, String stdout, String stderr) {
        String describe() {
            return "command: " + String.join(" ", command) + "\nexit " + code + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }

        String lastJsonLine() {
            List<String> lines = stdout.lines().filter(l -> l.startsWith("{")).toList();
            assertThat(lines).as(describe()).isNotEmpty();
            return lines.getLast();
        }
    }

    static Child cli(boolean withJar, String... args) throws IOException, InterruptedException {
        return cli(withJar ? List.of(jar) : List.of(), Map.of(), args);
    }

    /** The CLI as {@code ./hakmem --plugin-path <plugins>} starts it: the jars on the module path and in the env. */
    static Child cli(List<Path> plugins, String... args) throws IOException, InterruptedException {
        return cli(plugins, plugins.isEmpty() ? Map.of()
                : Map.of("HAKMEM_PLUGIN_PATH", join(plugins)), args);
    }

    static Child cli(List<Path> plugins, Map<String, String> env, String... args) throws IOException, InterruptedException {
        assumeTrue(cliPresent(), "the bench CLI (hakmem.bench.ListCommand) is not on this branch yet");
        List<Path> mp = new ArrayList<>(modulePath);
        mp.addAll(plugins);
        List<String> cmd = new ArrayList<>(List.of(javaBinary(),
                "--enable-native-access=hakmem.core,hakmem.bench,ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow",
                "-Djava.awt.headless=true",
                "-Dhakmem.policy=" + ID,
                "-p", join(mp),
                "--add-modules", "ALL-MODULE-PATH",
                "-m", "hakmem.bench/hakmem.bench.Main"));
        cmd.addAll(Arrays.asList(args));
        Path out = Files.createTempFile(work, "stdout", ".txt");
        Path err = Files.createTempFile(work, "stderr", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        // the child sees no hakmem settings of ours: only what the command line says
        pb.environment().keySet().removeIf(k -> k.startsWith("HAKMEM_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("the CLI did not finish in " + TIMEOUT_SECONDS + " s: " + String.join(" ", cmd)
                    + "\n" + Files.readString(out) + Files.readString(err));
        }
        return new Child(cmd, p.exitValue(), Files.readString(out), Files.readString(err));
    }

    static boolean cliPresent() {
        try {
            Class.forName("hakmem.bench.ListCommand", false, DropInPolicyTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    // ---- module paths from this JVM ----

    /** Module path entries of this JVM, then class path entries (surefire puts runtime-only modules there). */
    static List<Path> runtimeEntries() {
        Set<Path> entries = new LinkedHashSet<>();
        for (String property : List.of("jdk.module.path", "java.class.path")) {
            String value = System.getProperty(property, "");
            for (String e : value.split(java.io.File.pathSeparator)) {
                if (!e.isBlank() && Files.exists(Path.of(e))) {
                    entries.add(Path.of(e).toAbsolutePath().normalize());
                }
            }
        }
        return List.copyOf(entries);
    }

    /** The entries {@code hakmem.bench} needs at run time, with every provider of the services hakmem uses. */
    static List<Path> cliModulePath() {
        List<ModuleFinder> finders = new ArrayList<>();
        for (Path e : runtimeEntries()) {
            try {
                ModuleFinder f = ModuleFinder.of(e);
                f.findAll(); // a jar that is no module (e.g. a surefire booter) fails here: leave it out
                finders.add(f);
            } catch (FindException | IllegalArgumentException notAModule) {
                // skip
            }
        }
        ModuleFinder all = ModuleFinder.compose(finders.toArray(ModuleFinder[]::new));
        // Guice is an automatic module: it declares no requires, yet needs jakarta.inject (and ASM when it generates
        // classes) at run time, as the launcher's hakmem-bench/target/modules provides them
        Set<String> roots = new LinkedHashSet<>(List.of("hakmem.bench"));
        for (String guiceNeeds : List.of("jakarta.inject", "org.objectweb.asm", "aopalliance")) {
            all.find(guiceNeeds).ifPresent(m -> roots.add(guiceNeeds));
        }
        Configuration cf = Configuration.resolveAndBind(ModuleFinder.ofSystem(), List.of(Configuration.empty()), all, roots);
        Set<Path> keep = new LinkedHashSet<>();
        for (ResolvedModule m : cf.modules()) {
            m.reference().location().filter(u -> u.getScheme().equals("file")).map(Path::of).ifPresent(keep::add);
        }
        assertThat(cf.modules()).extracting(ResolvedModule::name)
                .contains("hakmem.bench", "hakmem.api", "hakmem.core", "hakmem.policy.lean", "hakmem.policy.speed");
        return List.copyOf(keep);
    }

    /** What the drop-in compiles against: hakmem.api and what it requires transitively (Guice). */
    static List<Path> apiModulePath() {
        Configuration boot = ModuleLayer.boot().configuration();
        List<Path> out = new ArrayList<>();
        for (String name : List.of("hakmem.api", "com.google.guice", "jakarta.inject")) {
            boot.findModule(name).flatMap(m -> m.reference().location()).map(Path::of).ifPresent(out::add);
        }
        assertThat(out).as("hakmem.api and Guice on this JVM's module path").hasSizeGreaterThanOrEqualTo(2);
        return out;
    }

    // ---- helpers ----

    record Tool(int code, String output) {
    }

    /** Runs a JDK tool in-process if this JVM has it, else the binary next to {@code java}. */
    static Tool run(String name, List<String> args) throws IOException, InterruptedException {
        var inProcess = ToolProvider.findFirst(name);
        if (inProcess.isPresent()) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8);
            int code = inProcess.get().run(ps, ps, args.toArray(String[]::new));
            return new Tool(code, buf.toString(StandardCharsets.UTF_8));
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(javaBinary()).resolveSibling(name).toString());
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Tool(p.waitFor(), output);
    }

    static Path resourceDir(String anyFile) throws URISyntaxException {
        URI uri = DropInPolicyTest.class.getResource(anyFile).toURI();
        return Path.of(uri).getParent();
    }

    static String join(List<Path> paths) {
        return paths.stream().map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator));
    }

    /** Adds every file under {@code under} except sources, named by its path relative to {@code root}. */
    static void add(JarOutputStream out, Path root, Path under) throws IOException {
        if (!Files.exists(under)) {
            return;
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(under)) {
            files = s.filter(Files::isRegularFile).filter(f -> !f.toString().endsWith(".java")).sorted().toList();
        }
        for (Path f : files) {
            String name = root.relativize(f).toString().replace(java.io.File.separatorChar, '/');
            out.putNextEntry(new JarEntry(name));
            out.write(Files.readAllBytes(f));
            out.closeEntry();
        }
    }
}
