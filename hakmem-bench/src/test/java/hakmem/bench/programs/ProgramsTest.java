package hakmem.bench.programs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hakmem.api.Allocator;
import hakmem.bench.subject.Subject;
import hakmem.bench.subject.Subjects;
import hakmem.bench.trace.Recordings;
import hakmem.bench.trace.Trace;
import hakmem.bench.workload.Meter;
import hakmem.bench.workload.Outcome;
import hakmem.bench.workload.TimeMode;
import hakmem.bench.workload.TraceReplay;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundled programs run on a traced hakmem allocator, and their traces replay with verified contents. */
class ProgramsTest {
    @TempDir
    Path dir;

    private Trace recordAndReplay(String id, String subject) throws Exception {
        Path file = dir.resolve(id + ".hkt.gz");
        String line;
        try (Allocator heap = Recordings.traced("balanced", file)) {
            line = Program.byId(id).run(heap, 1, 7);
        }
        assertThat(line).isNotBlank();
        Trace tr = Trace.load(file);
        TraceReplay replay = new TraceReplay(file, TimeMode.COMPRESS, 0);
        try (Subject s = Subjects.create(subject, replay.maxLive(null), replay.crossThreadFrees(null))) {
            Outcome o = replay.run(s, replay.defaults(false), Meter.NONE);
            assertThat(o.timedOps()).isEqualTo(tr.events());
            assertThat(o.checks()).isEqualTo(tr.blocks()); // every block checked at its free (or after the end)
        }
        return tr;
    }

    @Test
    void nettyHttpServesThroughHakmemBuffersAndFreesAcrossThreads() throws Exception {
        Trace tr = recordAndReplay("netty-http", "speed");
        assertThat(tr.threads().size()).isGreaterThanOrEqualTo(3); // event loops of the server and the client, senders
        assertThat(tr.blocks()).isGreaterThan(10);
        assertThat(tr.crossThreadFrees()).isPositive();
        assertThat(tr.liveEndBytes()).as("every buffer released").isZero();
    }

    @Test
    void theOffHeapCacheFreesWhatItEvictsAndWhatItHoldsAtTheEnd() throws Exception {
        Trace tr = recordAndReplay("offheap-cache", "ffm-malloc");
        assertThat(tr.threads().size()).isGreaterThanOrEqualTo(4);
        assertThat(tr.blocks()).isGreaterThan(100);
        assertThat(tr.liveEndBytes()).isZero();
        assertThatThrownBy(() -> Program.byId("nope")).hasMessageContaining("programs: [netty-http, offheap-cache]");
    }
}
