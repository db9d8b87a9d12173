package hakmem.bench.jmh;

import hakmem.bench.subject.Subject;
import hakmem.bench.subject.Subjects;
import hakmem.bench.workload.SpscQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
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
import org.openjdk.jmh.infra.Control;

/**
 * The remote free path: one thread allocates 256 B blocks and passes them through a ring, another frees them.
 * The {@code free} figure is the cross-thread free rate; {@code alloc} the producer's. Both sides give up when
 * the iteration ends ({@link Control#stopMeasurement}), so neither spins forever on the other. Blocks still in
 * the ring at tear-down are freed there.
 *
 * <pre>java -jar hakmem-bench/jmh/target/benchmarks.jar CrossThreadFreeBench -p subject=balanced,ffm-mimalloc</pre>
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class CrossThreadFreeBench {
    @Param({"speed", "balanced", "lean", "unsafe", "ffm-malloc", "ffm-mimalloc"})
    public String subject;

    @Param({"256"})
    public long size;

    private Subject s;
    private SpscQueue ring;

    @Setup(Level.Trial)
    public void open() {
        s = Subjects.create(subject, 4096 + 1, true);
        ring = new SpscQueue(4096);
    }

    @TearDown(Level.Trial)
    public void close() {
        long h;
        while ((h = ring.poll()) != 0) {
            s.free(h);
        }
        s.close();
    }

    @Benchmark
    @Group("xfree")
    @GroupThreads(1)
    public void alloc(Control control) {
        long h = s.malloc(size);
        while (!ring.offer(h)) {
            if (control.stopMeasurement) {
                s.free(h);
                return;
            }
            Thread.onSpinWait();
        }
    }

    @Benchmark
    @Group("xfree")
    @GroupThreads(1)
    public void free(Control control) {
        long h;
        while ((h = ring.poll()) == 0) {
            if (control.stopMeasurement) {
                return;
            }
            Thread.onSpinWait();
        }
        s.free(h);
    }
}
