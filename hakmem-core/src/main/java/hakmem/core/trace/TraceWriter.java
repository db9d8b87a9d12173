package hakmem.core.trace;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a trace ({@link TraceFormat}) off the hot path. Each recording thread encodes its events into its own
 * buffer (no lock, no allocation per event); a full buffer goes to a bounded queue that one daemon writer thread
 * drains to the file, and the thread takes an empty buffer from a pool. Memory is bounded: one buffer per live
 * recording thread plus {@value #QUEUED} queued ones (a thread whose buffer fills while the queue is full waits for the
 * writer: the trace never drops an event). The writer also flushes the buffers of threads that ended.
 *
 * <p>{@link #close()} (and, if the trace is not closed, a shutdown hook at JVM exit) seals the trace: later events are
 * not recorded, every buffer is written, then the END record, so the file is complete. Close must not race with
 * recording calls (as the allocator's close); at JVM exit threads still running get 20 ms to finish an event.
 */
public final class TraceWriter implements AutoCloseable {

    static final int CHUNK_BYTES = 64 * 1024;
    static final int QUEUED = 64;

    /** One recording thread's encoder. Only its thread writes it, until it ends or the trace is sealed. */
    final class Recorder {
        final int id;
        final Thread thread;
        byte[] buf = new byte[CHUNK_BYTES];
        int pos;
        int count;
        long lastTime;
        long lastAddress;

        Recorder(int id, Thread thread) {
            this.id = id;
            this.thread = thread;
        }

        /** Room for one more event; hands a full buffer to the writer first. */
        void begin(int op, long time) {
            if (pos + TraceFormat.MAX_EVENT_BYTES > buf.length) {
                handOff(this);
            }
            buf[pos++] = (byte) op;
            zigzag(time - lastTime);
            lastTime = time;
        }

        void end() {
            count++;
        }

        void address(long address) {
            zigzag(address - lastAddress);
            lastAddress = address;
        }

        void varint(long v) {
            byte[] b = buf;
            int p = pos;
            while ((v & ~0x7FL) != 0) {
                b[p++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            b[p++] = (byte) v;
            pos = p;
        }

        void zigzag(long v) {
            varint((v << 1) ^ (v >> 63));
        }
    }

    /** A filled buffer on its way to the file, or a thread's name. */
    private record Item(int kind, int threadId, byte[] data, int length, int events, String name) {
    }

    private static final Item STOP = new Item(0, 0, null, 0, 0, null);

    private final Path path;
    private final long origin = System.nanoTime();
    private final ThreadLocal<Recorder> recorders = new ThreadLocal<>();
    private final List<Recorder> live = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(QUEUED);
    private final BlockingQueue<byte[]> spare = new ArrayBlockingQueue<>(QUEUED);
    private final AtomicInteger threads = new AtomicInteger();
    /** Held while a recorder leaves {@link #live} (the writer's sweep of ended threads, and finish). */
    private final Object recorderLock = new Object();
    private final DataOutputStream out;
    private final Thread writer;
    private final Thread exitHook;
    private volatile boolean sealed;
    private volatile IOException failure;
    private long events;
    private long chunks;
    private boolean closed;

    private TraceWriter(Path path, String note) throws IOException {
        this.path = path;
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        OutputStream file = Files.newOutputStream(path);
        if (path.getFileName().toString().endsWith(".gz")) { // compressed on the writer thread
            file = new GZIPOutputStream(file, 64 * 1024);
        }
        this.out = new DataOutputStream(new BufferedOutputStream(file, 256 * 1024));
        out.write(TraceFormat.MAGIC);
        out.writeShort(TraceFormat.VERSION);
        out.writeShort(0);
        out.writeLong(System.currentTimeMillis());
        byte[] n = note.getBytes(StandardCharsets.UTF_8);
        out.writeShort(Math.min(n.length, 0xFFFF));
        out.write(n, 0, Math.min(n.length, 0xFFFF));
        this.writer = Thread.ofPlatform().daemon().name("hakmem-trace-writer").unstarted(this::drain);
        writer.start();
        this.exitHook = new Thread(() -> finish(20), "hakmem-trace-exit");
        Runtime.getRuntime().addShutdownHook(exitHook);
    }

    /**
     * Creates (or truncates) the trace file and starts its writer.
     *
     * @throws UncheckedIOException naming the file if it cannot be written
     */
    public static TraceWriter open(Path path, String note) {
        try {
            return new TraceWriter(path, note);
        } catch (IOException e) {
            throw new UncheckedIOException("hakmem: cannot write the trace file " + path + ": " + e.getMessage(), e);
        }
    }

    public Path path() {
        return path;
    }

    /** The calling thread's recorder, or null once the trace is sealed (the event is then not recorded). */
    Recorder recorder() {
        if (sealed) {
            return null;
        }
        Recorder r = recorders.get();
        return r != null ? r : register();
    }

    /** Nanoseconds since the trace started. */
    long now() {
        return System.nanoTime() - origin;
    }

    private Recorder register() {
        Thread t = Thread.currentThread();
        Recorder r = new Recorder(threads.getAndIncrement(), t);
        enqueue(new Item(TraceFormat.THREAD, r.id, null, 0, 0, t.getName()));
        live.add(r);
        recorders.set(r);
        return r;
    }

    /** Hands the recorder's buffer to the writer and gives it an empty one. */
    private void handOff(Recorder r) {
        Item chunk = take(r);
        if (chunk != null) {
            enqueue(chunk);
        }
    }

    /** The recorder's events as a chunk (null if none), and a fresh buffer for it. */
    private Item take(Recorder r) {
        Item chunk = null;
        if (r.count > 0) {
            chunk = new Item(TraceFormat.CHUNK, r.id, r.buf, r.pos, r.count, null);
            byte[] next = spare.poll();
            r.buf = next != null ? next : new byte[CHUNK_BYTES];
        }
        r.pos = 0;
        r.count = 0;
        r.lastTime = 0;
        r.lastAddress = 0;
        return chunk;
    }

    private void enqueue(Item item) {
        boolean interrupted = false;
        while (true) {
            try {
                queue.put(item);
                break;
            } catch (InterruptedException e) {
                interrupted = true; // an event is never dropped; the interrupt is kept for the caller
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void drain() {
        try {
            while (true) {
                Item item = queue.poll(100, TimeUnit.MILLISECONDS);
                if (item == STOP) {
                    return;
                }
                if (item != null) {
                    write(item);
                } else if (!sealed) {
                    flushEnded();
                }
            }
        } catch (InterruptedException e) {
            // finish() stops us with STOP; an interrupt from elsewhere ends the writer
        } catch (IOException e) {
            failure = e;
            try {
                while (queue.take() != STOP) {
                    // keep draining so that producers never block on a failed file; their events are lost
                }
            } catch (InterruptedException stop) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Recorders of threads that ended: their last buffer goes to the file, the recorder is dropped. */
    private void flushEnded() throws IOException {
        for (Recorder r : live) {
            if (!r.thread.isAlive()) {
                Item chunk;
                synchronized (recorderLock) {
                    if (!live.remove(r)) {
                        continue; // finish took it
                    }
                    chunk = take(r);
                }
                if (chunk != null) {
                    write(chunk);
                }
            }
        }
    }

    private void write(Item item) throws IOException {
        if (item.kind() == TraceFormat.THREAD) {
            out.writeByte(TraceFormat.THREAD);
            varint(item.threadId());
            byte[] n = item.name().getBytes(StandardCharsets.UTF_8);
            int len = Math.min(n.length, 0xFFFF);
            out.writeShort(len);
            out.write(n, 0, len);
            return;
        }
        out.writeByte(TraceFormat.CHUNK);
        varint(item.threadId());
        varint(item.events());
        varint(item.length());
        out.write(item.data(), 0, item.length());
        events += item.events();
        chunks++;
        spare.offer(item.data());
    }

    private void varint(long v) throws IOException {
        while ((v & ~0x7FL) != 0) {
            out.writeByte((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.writeByte((int) v);
    }

    /** Seals the trace and completes the file. Idempotent. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(exitHook);
        } catch (IllegalStateException e) {
            // the JVM is exiting: the hook finishes the trace
        }
        finish(0);
    }

    private synchronized void finish(long graceMillis) {
        if (closed) {
            return;
        }
        closed = true;
        sealed = true;
        if (graceMillis > 0) {
            try {
                Thread.sleep(graceMillis); // a thread still in an event at exit finishes it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<Recorder> rest;
        synchronized (recorderLock) {
            rest = new ArrayList<>(live);
            live.clear();
        }
        for (Recorder r : rest) {
            handOff(r);
        }
        enqueue(STOP);
        try {
            writer.join();
            if (failure == null) {
                out.writeByte(TraceFormat.END);
                varint(events);
                varint(threads.get());
                varint(chunks);
            }
            out.close();
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw new UncheckedIOException("hakmem: writing the trace file " + path + " failed: " + failure.getMessage(), failure);
        }
    }
}
