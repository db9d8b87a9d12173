package hakmem.bench.jmh;

import hakmem.bench.subject.Subject;
import hakmem.bench.subject.Subjects;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The fast path alone: malloc and free of one block of one size class, same thread, in a tight loop (the block
 * comes straight back from the thread's free list). Nanoseconds per malloc+free pair.
 *
 * <pre>java -jar hakmem-bench/jmh/target/benchmarks.jar MallocFreeBench -p size=64</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class MallocFreeBench {
    @Param({"speed", "balanced", "lean", "unsafe", "ffm-malloc", "ffm-mimalloc"})
    public String subject;

    @Param({"64"})
    public long size;

    private Subject s;

    @Setup(Level.Trial)
    public void open() {
        s = Subjects.create(subject, 16, false);
    }

    @TearDown(Level.Trial)
    public void close() {
        s.close();
    }

    @Benchmark
    public long mallocFree() {
        long h = s.malloc(size);
        s.free(h);
        return h;
    }
}
