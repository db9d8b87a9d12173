package hakmem.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** compare checks every policy and option once, before any run is forked, with the message of Hakmem.open. */
class CompareCommandTest {

    /** Runs compare in this JVM; returns the exit code and what it printed on stderr. */
    static String[] compare(Path out, String policies, String... more) {
        PrintStream old = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code;
        try {
            System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            String[] args = new String[6 + more.length];
            String[] base = {"compare", "--policies", policies, "--quick", "--out", out.toString()};
            System.arraycopy(base, 0, args, 0, base.length);
            System.arraycopy(more, 0, args, base.length, more.length);
            code = Main.execute(args);
        } finally {
            System.setErr(old);
        }
        return new String[] {String.valueOf(code), bytes.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void aBadOptionValueFailsBeforeAnyRun(@TempDir Path dir) {
        String[] r = compare(dir, "speed,lean@ss.mem.lean.delay.ms=soon");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[1]).contains("'soon'").contains("ss.mem.lean.delay.ms");
        assertThat(Files.exists(dir.resolve("logs"))).as("no run was forked").isFalse();
    }

    @Test
    void traceAndSimulationArgumentsAreCheckedBeforeAnyRun(@TempDir Path dir) throws Exception {
        Path notTrace = Files.writeString(dir.resolve("bad.hkt"), "not a trace");
        String[] r = compare(dir, "speed", "--workload", "trace:" + notTrace);
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[1]).contains("bad.hkt").contains("not a hakmem trace");
        r = compare(dir, "speed", "--workload", "mixed", "--time", "compress");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[1]).contains("--time compress applies to trace workloads");
        r = compare(dir, "speed", "--workload", "mixed", "--os", "sim", "--peers", "ffm-malloc");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[1]).contains("peer 'ffm-malloc' cannot run on the simulated OS");
        r = compare(dir, "speed", "--workload", "mixed", "--os", "vm");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[1]).contains("--os vm: expected real or sim");
        r = compare(dir, "speed", "--workload", "mixed", "--sim-fault-ns", "5");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[1]).contains("--sim-* options need --os sim");
        assertThat(Files.exists(dir.resolve("logs"))).as("no run was forked").isFalse();
    }

    @Test
    void anUnknownOptionFailsBeforeAnyRun(@TempDir Path dir) {
        String[] r = compare(dir, "lean@ss.mem.lean.dealy.ms=100");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[1]).contains("unknown option 'ss.mem.lean.dealy.ms'");
        assertThat(Files.exists(dir.resolve("logs"))).isFalse();
    }

    @Test
    void anUnknownPolicyFailsWithTheMessageOfOpen(@TempDir Path dir) {
        String[] r = compare(dir, "speed,halfhalf");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[1]).contains("unknown policy 'halfhalf'");
        assertThat(Files.exists(dir.resolve("logs"))).isFalse();
    }

    @Test
    void aMalformedSweepNamesWhatIsWrong(@TempDir Path dir) {
        String[] r = compare(dir, "lean@delay");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[1]).contains("--policies: subject 'lean@delay': option 'delay' has no '='");
    }

    @Test
    void workloadsAreChosenByNameAndTheDefaultStaysMixedAndBurst() {
        CompareCommand c = new CompareCommand();
        new CommandLine(c).parseArgs("--workloads", "medium,large");
        assertThat(c.workloads).containsExactly("medium", "large");
        CompareCommand d = new CompareCommand();
        new CommandLine(d).parseArgs("--workload", "large");
        assertThat(d.workloads).containsExactly("large");
        CompareCommand e = new CompareCommand();
        new CommandLine(e).parseArgs();
        assertThat(e.workloads).containsExactly("mixed", "burst");
    }
}
