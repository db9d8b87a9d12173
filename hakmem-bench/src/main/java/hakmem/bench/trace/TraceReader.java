package hakmem.bench.trace;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads a hakmem allocation trace, format version 1 (docs/bench.md, "The trace format"; written by the core's trace
 * writer), plain or gzip-compressed, into {@link RawEvent}s. Everything wrong with the file is a {@link TraceException}
 * that names the file, the byte offset and what was expected.
 */
public final class TraceReader {
    static final byte[] MAGIC = {'H', 'K', 'M', 'T', 'R', 'A', 'C', 'E'};
    public static final int VERSION = 1;

    static final int THREAD = 1;
    static final int CHUNK = 2;
    static final int END = 3;

    public static final int MALLOC = 1;
    public static final int CALLOC = 2;
    public static final int REALLOC = 3;
    public static final int FREE = 4;
    public static final int ALLOCATE = 5;
    public static final int FREE_SEG = 6;

    /** One recorded call as written: times in ns since the trace started; {@code end} differs from time for realloc. */
    public record RawEvent(int thread, int op, long time, long end, long size, long oldAddress, long address) {
    }

    /** The decoded file. */
    public record Contents(long startEpochMillis, String note, List<String> threadNames, List<RawEvent> events) {
    }

    private final Path path;
    private final InputStream in;
    private long offset;

    private TraceReader(Path path, InputStream in) {
        this.path = path;
        this.in = in;
    }

    public static Contents read(Path path) {
        try (InputStream raw = Files.newInputStream(path)) {
            PushbackInputStream p = new PushbackInputStream(new BufferedInputStream(raw, 1 << 16), 2);
            int b0 = p.read();
            int b1 = p.read();
            if (b1 >= 0) {
                p.unread(b1);
            }
            if (b0 >= 0) {
                p.unread(b0);
            }
            InputStream in = b0 == 0x1f && b1 == 0x8b ? new BufferedInputStream(new GZIPInputStream(p, 1 << 16), 1 << 16) : p;
            return new TraceReader(path, in).contents();
        } catch (NoSuchFileException e) {
            throw new TraceException("trace file " + path + " not found");
        } catch (IOException e) {
            throw new TraceException("cannot read trace file " + path + ": " + e, e);
        }
    }

    private Contents contents() throws IOException {
        byte[] magic = bytes(MAGIC.length, "the magic bytes");
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw bad(0, "not a hakmem trace: the file does not start with \"HKMTRACE\"");
        }
        int version = u16("the version");
        if (version != VERSION) {
            throw bad(8, "unknown trace format version " + version + " (this reader knows version " + VERSION + ")");
        }
        u16("the flags");
        long start = i64();
        String note = new String(bytes(u16("the note length"), "the note"), StandardCharsets.UTF_8);
        List<String> names = new ArrayList<>();
        List<RawEvent> events = new ArrayList<>();
        long chunks = 0;
        while (true) {
            long at = offset;
            int kind = in.read();
            if (kind < 0) {
                throw bad(at, "truncated: no END record (the recording JVM was killed, or the file was cut)");
            }
            offset++;
            switch (kind) {
                case THREAD -> {
                    int id = (int) varint("a thread id");
                    String name = new String(bytes(u16("a thread name length"), "a thread name"), StandardCharsets.UTF_8);
                    while (names.size() <= id) {
                        names.add("thread-" + names.size());
                    }
                    names.set(id, name);
                }
                case CHUNK -> {
                    chunk(names, events, at);
                    chunks++;
                }
                case END -> {
                    long total = varint("the END event count");
                    long threads = varint("the END thread count");
                    long ch = varint("the END chunk count");
                    if (total != events.size() || ch != chunks) {
                        throw bad(at, "END says " + total + " events in " + ch + " chunks, the file holds " + events.size()
                                + " in " + chunks);
                    }
                    while (names.size() < threads) {
                        names.add("thread-" + names.size());
                    }
                    if (in.read() >= 0) {
                        throw bad(offset, "bytes after the END record");
                    }
                    return new Contents(start, note, List.copyOf(names), events);
                }
                default -> throw bad(at, "unknown record kind " + kind + " (expected 1 THREAD, 2 CHUNK or 3 END)");
            }
        }
    }

    private void chunk(List<String> names, List<RawEvent> events, long at) throws IOException {
        int thread = (int) varint("a chunk's thread id");
        long count = varint("a chunk's event count");
        long length = varint("a chunk's byte length");
        if (thread >= names.size()) {
            throw bad(at, "chunk of thread " + thread + " before that thread's THREAD record");
        }
        long end = offset + length;
        long time = 0;
        long addr = 0;
        for (long i = 0; i < count; i++) {
            long evAt = offset;
            int op = in.read();
            if (op < 0) {
                throw bad(evAt, "truncated inside a chunk");
            }
            offset++;
            time += zigzag();
            if (time < 0) {
                throw bad(evAt, "negative event time");
            }
            long size = 0;
            long old = 0;
            long t1 = time;
            switch (op) {
                case MALLOC -> size = varint("a size");
                case CALLOC -> {
                    long n = varint("a count");
                    long s = varint("a size");
                    size = Math.multiplyHigh(n, s) == 0 && n * s >= 0 ? n * s : -1;
                }
                case REALLOC -> {
                    addr += zigzag();
                    old = addr;
                    size = varint("a size");
                }
                case FREE, FREE_SEG -> {
                }
                case ALLOCATE -> {
                    size = varint("a size");
                    varint("an alignment");
                }
                default -> throw bad(evAt, "unknown event op " + op + " (expected 1..6)");
            }
            addr += zigzag();
            if (op == REALLOC) {
                t1 = time + varint("a realloc duration");
            }
            if (size < 0 || size > (1L << 40)) {
                throw bad(evAt, "size " + size + " out of range");
            }
            long oldAddress = op == REALLOC ? old : 0;
            events.add(new RawEvent(thread, op, time, t1, size, oldAddress, addr));
        }
        if (offset != end) {
            throw bad(at, "chunk says " + length + " bytes, its " + count + " events took " + (offset - (end - length)));
        }
    }

    private TraceException bad(long at, String what) {
        return new TraceException("trace file " + path + ", byte " + at + ": " + what);
    }

    private int read(String what) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw bad(offset, "truncated while reading " + what);
        }
        offset++;
        return b;
    }

    private byte[] bytes(int n, String what) throws IOException {
        byte[] b = new byte[n];
        int got = in.readNBytes(b, 0, n);
        if (got < n) {
            throw bad(offset + got, "truncated while reading " + what);
        }
        offset += n;
        return b;
    }

    private int u16(String what) throws IOException {
        return (read(what) << 8) | read(what);
    }

    private long i64() throws IOException {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | read("the start time");
        }
        return v;
    }

    private long varint(String what) throws IOException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = read(what);
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw bad(offset, "varint longer than 10 bytes in " + what);
    }

    private long zigzag() throws IOException {
        long v = varint("a delta");
        return (v >>> 1) ^ -(v & 1);
    }

}
