package hakmem.bench;

import hakmem.bench.run.PluginPath;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ./hakmem}: the command line of hakmem-j. Commands: {@code compare} (the main job: policies and peers
 * side by side, each run in its own JVM, with the GO / NO-GO verdict), {@code run} (one run, one JSON line: what
 * compare forks), {@code soak} (one long run in epochs), {@code list} (what is found here) and
 * {@code check-policy} (the test kit's contract checks against one policy).
 */
@Command(name = "hakmem", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "hakmem-j: an off-heap allocator with pluggable release policies, and its bench.",
        subcommands = {CompareCommand.class, RunCommand.class, SoakCommand.class, ListCommand.class, RecordCommand.class,
            CheckPolicyCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns the exit code (tests call this in-process). */
    public static int execute(String... args) {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        List<String> problems = PluginPath.problems(PluginPath.fromEnvironment(), System.getProperty("jdk.module.path", ""));
        if (!problems.isEmpty()) {
            problems.forEach(p -> System.err.println("hakmem: " + p));
            return 2;
        }
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getModule().getDescriptor() == null ? null
                    : Main.class.getModule().getDescriptor().rawVersion().orElse(null);
            return new String[] {"hakmem-j " + (v == null ? "0.1.0-SNAPSHOT" : v) + ", Java " + Runtime.version()};
        }
    }
}
