package hakmem.bench.jmh;

import hakmem.bench.subject.Subject;
import hakmem.bench.subject.Subjects;
import hakmem.bench.workload.MixedTable;
import hakmem.bench.workload.Rng;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Mixed WS=400 per subject: the GUIDE's reference op (free a random slot, allocate 16..1024 B, tag both ends)
 * through the same {@link MixedTable} the CLI uses, {@value #BATCH} ops per invocation on one long-lived table.
 * Ops per microsecond (= M ops/s). The table's contents checks and generator check stay on.
 *
 * <pre>java -jar hakmem-bench/jmh/target/benchmarks.jar MixedBench -p subject=balanced,unsafe,ffm-mimalloc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class MixedBench {
    static final int BATCH = 1000;

    @Param({"speed", "balanced", "lean", "unsafe", "ffm-malloc", "ffm-mimalloc", "netty", "arena"})
    public String subject;

    @Param({"400"})
    public int ws;

    private Subject s;
    private MixedTable table;

    @Setup(Level.Trial)
    public void open() {
        s = Subjects.create(subject, ws, false);
        table = new MixedTable(s, ws, Rng.SEED);
    }

    @TearDown(Level.Trial)
    public void close() {
        table.verifyState("jmh mixed");
        table.freeAll();
        s.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long mixed() {
        table.run(BATCH);
        return table.state();
    }
}
