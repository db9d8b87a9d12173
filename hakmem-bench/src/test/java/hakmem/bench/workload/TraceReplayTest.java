package hakmem.bench.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hakmem.bench.subject.Subject;
import hakmem.bench.subject.Subjects;
import hakmem.bench.trace.Recordings;
import hakmem.bench.trace.Trace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replay of a recorded trace: one thread per recorded thread, cross-thread frees kept, contents verified. */
class TraceReplayTest {
    @TempDir
    Path dir;

    /** libc through FFM, remembering the thread of every malloc and free. */
    static final class ThreadRecording extends Subject {
        final Subject inner = Subjects.create("ffm-malloc", 1, true);
        final Map<Long, Thread> allocatedBy = new ConcurrentHashMap<>();
        final List<Boolean> crossThread = java.util.Collections.synchronizedList(new ArrayList<>());
        final Map<Thread, Boolean> threads = new ConcurrentHashMap<>();

        @Override
        public String id() {
            return "thread-recording";
        }

        @Override
        public String kind() {
            return "peer";
        }

        @Override
        public long malloc(long size) {
            long h = inner.malloc(size);
            allocatedBy.put(h, Thread.currentThread());
            threads.put(Thread.currentThread(), true);
            return h;
        }

        @Override
        public void free(long handle) {
            Thread by = allocatedBy.remove(handle);
            assertThat(by).as("frees a block it holds").isNotNull();
            crossThread.add(by != Thread.currentThread());
            inner.free(handle);
        }
    }

    @Test
    void crossThreadFreesStayCrossThreadAndEveryBlockIsChecked() throws Exception {
        Path file = dir.resolve("pc.hkt");
        int n = 5_000;
        Recordings.producerConsumer(file, n);
        Trace tr = Trace.load(file);
        assertThat(tr.threads()).hasSize(2);
        assertThat(tr.blocks()).isEqualTo(n);
        assertThat(tr.crossThreadFrees()).isEqualTo(n);

        TraceReplay replay = new TraceReplay(file, TimeMode.COMPRESS, 0);
        assertThat(replay.crossThreadFrees(null)).isTrue();
        ThreadRecording s = new ThreadRecording();
        List<String> marks = java.util.Collections.synchronizedList(new ArrayList<>());
        Outcome o = replay.run(s, replay.defaults(false), marks::add);
        assertThat(o.timedOps()).isEqualTo(2L * n);
        assertThat(o.checks()).isEqualTo(n);
        assertThat(s.allocatedBy).isEmpty(); // all freed
        assertThat(s.crossThread).hasSize(n).containsOnly(true);
        assertThat(s.threads).hasSize(1); // all mallocs on the producer's replaying thread
        assertThat(marks).startsWith(Meter.TIMED_START).endsWith(Meter.TIMED_END).contains("trace-50%");
        assertThat(o.livePeakBytes()).isPositive();
    }

    @Test
    void aSubjectThatHandsOutABlockTwiceFailsTheReplay() throws Exception {
        Path file = dir.resolve("phases.hkt");
        Recordings.phases(file, "speed", 1);
        TraceReplay replay = new TraceReplay(file, TimeMode.COMPRESS, 0);
        assertThatThrownBy(() -> replay.run(TestSubjects.doubleHanding(), replay.defaults(false), Meter.NONE))
                .isInstanceOf(CheckFailure.class).hasMessageContaining("lost its contents");
    }

    @Test
    void realTimeKeepsTheIdleGapsAndCompressDropsThem() throws Exception {
        Path file = dir.resolve("idle.hkt");
        Recordings.gap(file, 300);
        Outcome real = new TraceReplay(file, TimeMode.REAL, 0).run(Subjects.create("ffm-malloc", 1, false), null, Meter.NONE);
        Outcome fast = new TraceReplay(file, TimeMode.COMPRESS, 0).run(Subjects.create("ffm-malloc", 1, false), null, Meter.NONE);
        assertThat(real.idleNanos()).isGreaterThan(150_000_000L); // the gap, less what the replay runs behind the recording
        assertThat(fast.idleNanos()).isZero();
        assertThat(TimeMode.parse("scale=0.5").at(1000)).isEqualTo(500);
        assertThatThrownBy(() -> TimeMode.parse("slow")).hasMessageContaining("expected real, compress or scale=X");
        assertThatThrownBy(() -> TimeMode.parse("scale=-1")).hasMessageContaining("the scale must be a number");
    }
}
