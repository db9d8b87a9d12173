package hakmem.bench.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hakmem.api.Allocator;
import hakmem.api.Hakmem;
import hakmem.bench.trace.TraceReader.RawEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trace format: what the core's writer records is what the bench's reader reads, and bad files say what is wrong. */
class TraceFormatTest {
    @TempDir
    Path dir;

    private static List<RawEvent> of(TraceReader.Contents c, int thread) {
        return c.events().stream().filter(e -> e.thread() == thread).toList();
    }

    @Test
    void everyKindOfCallRoundTripsWithSizesAddressesThreadsAndTimes() throws Exception {
        Path file = dir.resolve("calls.hkt");
        long m;
        long c;
        long r;
        long seg;
        long[] other = new long[1];
        try (Allocator heap = Recordings.traced("speed", file)) {
            m = heap.malloc(100);
            c = heap.calloc(3, 10);
            r = heap.realloc(m, 5000);
            MemorySegment s = heap.allocate(256, 64);
            seg = s.address();
            heap.free(s);
            heap.free(0); // not recorded: it does nothing
            Thread t = new Thread(() -> {
                heap.free(c); // a cross-thread free
                other[0] = heap.malloc(2 << 20); // a large block
            }, "second-thread");
            t.start();
            t.join();
            heap.free(other[0]);
            heap.free(r);
        }
        TraceReader.Contents read = TraceReader.read(file);
        assertThat(read.note()).contains("policy=speed");
        assertThat(read.threadNames()).hasSize(2);
        String main = Thread.currentThread().getName();
        assertThat(read.threadNames()).containsExactly(main, "second-thread");
        List<RawEvent> t0 = of(read, 0);
        assertThat(t0).extracting(RawEvent::op).containsExactly(TraceReader.MALLOC, TraceReader.CALLOC, TraceReader.REALLOC,
                TraceReader.ALLOCATE, TraceReader.FREE_SEG, TraceReader.FREE, TraceReader.FREE);
        assertThat(t0).extracting(RawEvent::size).containsExactly(100L, 30L, 5000L, 256L, 0L, 0L, 0L);
        assertThat(t0).extracting(RawEvent::address).containsExactly(m, c, r, seg, seg, other[0], r);
        assertThat(t0.get(2).oldAddress()).isEqualTo(m);
        assertThat(t0.get(2).end()).isGreaterThanOrEqualTo(t0.get(2).time());
        List<RawEvent> t1 = of(read, 1);
        assertThat(t1).extracting(RawEvent::op).containsExactly(TraceReader.FREE, TraceReader.MALLOC);
        assertThat(t1).extracting(RawEvent::address).containsExactly(c, other[0]);
        assertThat(t1.get(1).size()).isEqualTo(2 << 20);
        for (int i = 1; i < t0.size(); i++) {
            assertThat(t0.get(i).time()).isGreaterThanOrEqualTo(t0.get(i - 1).time());
        }
        // the same file gzip-compressed reads the same
        Path gz = dir.resolve("calls-copy.hkt.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
            o.write(Files.readAllBytes(file));
        }
        assertThat(TraceReader.read(gz)).isEqualTo(read);
        // and a trace file named .gz is written compressed
        Path written = dir.resolve("direct.hkt.gz");
        try (Allocator heap = Recordings.traced("speed", written)) {
            heap.free(heap.malloc(10));
        }
        byte[] head = Arrays.copyOf(Files.readAllBytes(written), 2);
        assertThat(head).containsExactly((byte) 0x1f, (byte) 0x8b);
        assertThat(TraceReader.read(written).events()).extracting(RawEvent::op).containsExactly(TraceReader.MALLOC, TraceReader.FREE);
        // and it resolves: the calloc's block freed on the second thread, its large block freed on the first
        Trace tr = Trace.resolve(file, read);
        assertThat(tr.blocks()).isEqualTo(5);
        assertThat(tr.crossThreadFrees()).isEqualTo(2);
        assertThat(tr.liveEndBytes()).isZero();
        assertThat(tr.events()).isEqualTo(9);
    }

    @Test
    void manyChunksFromManyThreadsLoseNoEvent() throws Exception {
        Path file = dir.resolve("many.hkt");
        int threads = 4;
        int perThread = 40_000; // several 64 KiB chunks per thread
        try (Allocator heap = Recordings.traced("balanced", file)) {
            Thread[] ts = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                ts[t] = new Thread(() -> {
                    for (int i = 0; i < perThread; i++) {
                        heap.free(heap.malloc(1 + i % 3000));
                    }
                }, "worker-" + t);
                ts[t].start();
            }
            for (Thread t : ts) {
                t.join();
            }
        }
        TraceReader.Contents read = TraceReader.read(file);
        assertThat(read.events()).hasSize(threads * perThread * 2);
        assertThat(Files.size(file)).isLessThan(read.events().size() * 12L); // compact: a few bytes per event
        for (int t = 0; t < threads; t++) {
            List<RawEvent> ev = of(read, t);
            assertThat(ev).hasSize(perThread * 2);
            long sizes = ev.stream().filter(e -> e.op() == TraceReader.MALLOC).mapToLong(RawEvent::size).sum();
            long expected = 0;
            for (int i = 0; i < perThread; i++) {
                expected += 1 + i % 3000;
            }
            assertThat(sizes).isEqualTo(expected);
        }
        Trace tr = Trace.load(file);
        assertThat(tr.blocks()).isEqualTo(threads * perThread);
        assertThat(tr.crossThreadFrees()).isZero();
    }

    @Test
    void anUnwritableTraceFileFailsOpenNamingTheOption() {
        Path bad = dir.resolve("no-such-dir-as-file");
        assertThatThrownBy(() -> {
            Files.writeString(bad, "a file, not a directory");
            Hakmem.open("speed", Map.of("trace", bad.resolve("x.hkt").toString())).close();
        }).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("option trace").hasMessageContaining("x.hkt");
    }

    // ------------------------------------------------------------------ bad files

    /** A hand-written trace: header, then records. */
    private static final class Bytes {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Bytes header(int version) {
            out.writeBytes("HKMTRACE".getBytes(StandardCharsets.US_ASCII));
            u16(version);
            u16(0);
            out.writeBytes(new byte[8]);
            u16(0);
            return this;
        }

        Bytes thread(int id, String name) {
            out.write(1);
            varint(id);
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            u16(n.length);
            out.writeBytes(n);
            return this;
        }

        /** A chunk of events, each {op, time delta, operands...} already as longs (zigzag applied here where the format says). */
        Bytes chunk(int thread, int events, byte[] body) {
            out.write(2);
            varint(thread);
            varint(events);
            varint(body.length);
            out.writeBytes(body);
            return this;
        }

        Bytes end(long events, long threads, long chunks) {
            out.write(3);
            varint(events);
            varint(threads);
            varint(chunks);
            return this;
        }

        void u16(int v) {
            out.write(v >> 8);
            out.write(v);
        }

        void varint(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }

        Path to(Path file) throws IOException {
            Files.write(file, out.toByteArray());
            return file;
        }
    }

    /** malloc(size) at time t (absolute in a fresh chunk), address a, as chunk bytes. */
    private static byte[] events(long[]... ev) {
        Bytes b = new Bytes();
        for (long[] e : ev) {
            b.out.write((int) e[0]);
            for (int i = 1; i < e.length; i++) {
                b.varint(e[i]);
            }
        }
        return b.out.toByteArray();
    }

    private static long zz(long v) {
        return (v << 1) ^ (v >> 63);
    }

    @Test
    void aHandWrittenTraceReadsAsWritten() throws IOException {
        // malloc 64 B at t=10 ns at 0x1000, free it at t=30
        Path f = new Bytes().header(1).thread(0, "main")
                .chunk(0, 2, events(new long[] {1, zz(10), 64, zz(0x1000)}, new long[] {4, zz(20), zz(0)}))
                .end(2, 1, 1).to(dir.resolve("hand.hkt"));
        TraceReader.Contents c = TraceReader.read(f);
        assertThat(c.events()).containsExactly(new RawEvent(0, TraceReader.MALLOC, 10, 10, 64, 0, 0x1000),
                new RawEvent(0, TraceReader.FREE, 30, 30, 0, 0, 0x1000));
        assertThat(Trace.resolve(f, c).blocks()).isEqualTo(1);
    }

    @Test
    void badFilesNameWhatIsWrong() throws IOException {
        Path notTrace = Files.writeString(dir.resolve("text.hkt"), "hello, not a trace at all");
        assertThatThrownBy(() -> TraceReader.read(notTrace)).isInstanceOf(TraceException.class)
                .hasMessageContaining("text.hkt").hasMessageContaining("not a hakmem trace");

        Path v2 = new Bytes().header(2).end(0, 0, 0).to(dir.resolve("v2.hkt"));
        assertThatThrownBy(() -> TraceReader.read(v2)).isInstanceOf(TraceException.class)
                .hasMessageContaining("unknown trace format version 2");

        Path cut = new Bytes().header(1).thread(0, "main")
                .chunk(0, 1, events(new long[] {1, zz(10), 64, zz(0x1000)})).to(dir.resolve("cut.hkt"));
        assertThatThrownBy(() -> TraceReader.read(cut)).isInstanceOf(TraceException.class).hasMessageContaining("no END record");

        byte[] whole = Files.readAllBytes(new Bytes().header(1).thread(0, "main")
                .chunk(0, 1, events(new long[] {1, zz(10), 64, zz(0x1000)})).end(1, 1, 1).to(dir.resolve("whole.hkt")));
        Path truncated = Files.write(dir.resolve("truncated.hkt"), Arrays.copyOf(whole, whole.length - 6));
        assertThatThrownBy(() -> TraceReader.read(truncated)).isInstanceOf(TraceException.class).hasMessageContaining("truncated");

        Path badOp = new Bytes().header(1).thread(0, "main").chunk(0, 1, events(new long[] {9, zz(10)}))
                .end(1, 1, 1).to(dir.resolve("op.hkt"));
        assertThatThrownBy(() -> TraceReader.read(badOp)).isInstanceOf(TraceException.class).hasMessageContaining("unknown event op 9");

        Path counts = new Bytes().header(1).thread(0, "main")
                .chunk(0, 1, events(new long[] {1, zz(10), 64, zz(0x1000)})).end(5, 1, 1).to(dir.resolve("counts.hkt"));
        assertThatThrownBy(() -> TraceReader.read(counts)).isInstanceOf(TraceException.class)
                .hasMessageContaining("END says 5 events");

        Path noThread = new Bytes().header(1).chunk(3, 1, events(new long[] {1, zz(10), 64, zz(0x1000)}))
                .end(1, 1, 1).to(dir.resolve("nothread.hkt"));
        assertThatThrownBy(() -> TraceReader.read(noThread)).isInstanceOf(TraceException.class)
                .hasMessageContaining("before that thread's THREAD record");

        Path strayFree = new Bytes().header(1).thread(0, "main").chunk(0, 1, events(new long[] {4, zz(10), zz(0x2000)}))
                .end(1, 1, 1).to(dir.resolve("stray.hkt"));
        assertThatThrownBy(() -> Trace.load(strayFree)).isInstanceOf(TraceException.class)
                .hasMessageContaining("frees 0x2000, which no earlier event allocated");

        Path twice = new Bytes().header(1).thread(0, "main").chunk(0, 2, events(new long[] {1, zz(10), 64, zz(0x1000)},
                new long[] {1, zz(5), 64, zz(0)})).end(2, 1, 1).to(dir.resolve("twice.hkt"));
        assertThatThrownBy(() -> Trace.load(twice)).isInstanceOf(TraceException.class).hasMessageContaining("still live");

        assertThatThrownBy(() -> Trace.load(dir.resolve("missing.hkt"))).isInstanceOf(TraceException.class)
                .hasMessageContaining("not found");
    }

}
