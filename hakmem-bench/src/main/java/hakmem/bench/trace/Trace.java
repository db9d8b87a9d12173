package hakmem.bench.trace;

import hakmem.bench.trace.TraceReader.RawEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A trace ready to replay: every recorded call turned into an operation on block ids, so that a replay never
 * depends on the recorded addresses. Frees are matched to allocations by address in time order (frees before
 * allocations at the same nanosecond; a realloc frees its old block when it was called and allocates the new one when
 * it returned). Operations are kept per recorded thread, in time order, and in one global order ({@link #order()}) for
 * the simulated replay.
 */
public final class Trace {
    /** An allocation (malloc, calloc, allocate): {@code newId} of {@code size} bytes. */
    public static final byte ALLOC = 0;
    /** A free of {@code oldId}. */
    public static final byte FREE = 1;
    /** A realloc: free {@code oldId} (or none: -1), allocate {@code newId} of {@code size} bytes. */
    public static final byte REALLOC = 2;

    /** One recorded thread's operations, in time order. */
    public record Thread(String name, byte[] kind, long[] time, long[] size, int[] newId, int[] oldId) {
        public int length() {
            return kind.length;
        }
    }

    private final Path file;
    private final String note;
    private final List<Thread> threads;
    private final int blocks;
    private final int[] sizeOfBlock;
    private final long[] order;
    private final int maxLive;
    private final long livePeakBytes;
    private final long liveEndBytes;
    private final long crossThreadFrees;
    private final long durationNanos;

    private Trace(Path file, String note, List<Thread> threads, int blocks, int[] sizeOfBlock, long[] order, int maxLive,
                  long livePeakBytes, long liveEndBytes, long crossThreadFrees, long durationNanos) {
        this.file = file;
        this.note = note;
        this.threads = threads;
        this.blocks = blocks;
        this.sizeOfBlock = sizeOfBlock;
        this.order = order;
        this.maxLive = maxLive;
        this.livePeakBytes = livePeakBytes;
        this.liveEndBytes = liveEndBytes;
        this.crossThreadFrees = crossThreadFrees;
        this.durationNanos = durationNanos;
    }

    /** Reads and resolves a trace file (plain or gzip). */
    public static Trace load(Path file) {
        return resolve(file, TraceReader.read(file));
    }

    /** Resolves decoded events; an inconsistent trace (a free of a block never allocated, an address allocated twice) throws. */
    static Trace resolve(Path file, TraceReader.Contents c) {
        List<RawEvent> ev = c.events();
        int n = ev.size();
        // sort keys: (time, side, index); side 0 = the free side of an event, 1 = its allocating side
        long[][] keys = new long[2 * n][];
        int k = 0;
        for (int i = 0; i < n; i++) {
            RawEvent e = ev.get(i);
            boolean frees = e.op() == TraceReader.FREE || e.op() == TraceReader.FREE_SEG
                    || (e.op() == TraceReader.REALLOC && e.oldAddress() != 0);
            boolean allocs = e.op() != TraceReader.FREE && e.op() != TraceReader.FREE_SEG;
            if (frees) {
                keys[k++] = new long[] {e.time(), 0, i};
            }
            if (allocs) {
                keys[k++] = new long[] {e.end(), 1, i};
            }
        }
        long[][] sorted = Arrays.copyOf(keys, k);
        Arrays.sort(sorted, (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : a[1] != b[1] ? Long.compare(a[1], b[1]) : Long.compare(a[2], b[2]));
        int[] newId = new int[n];
        int[] oldId = new int[n];
        Arrays.fill(newId, -1);
        Arrays.fill(oldId, -1);
        Map<Long, Integer> live = new HashMap<>();
        List<Long> sizes = new ArrayList<>();
        List<Integer> owner = new ArrayList<>();
        long liveBytes = 0;
        long peakBytes = 0;
        int maxLive = 0;
        long cross = 0;
        for (long[] key : sorted) {
            int i = (int) key[2];
            RawEvent e = ev.get(i);
            if (key[1] == 0) {
                long addr = e.op() == TraceReader.REALLOC ? e.oldAddress() : e.address();
                Integer id = live.remove(addr);
                if (id == null) {
                    throw new TraceException("trace file " + file + ": event " + i + " (thread " + e.thread() + ", t=" + e.time()
                            + " ns) frees 0x" + Long.toHexString(addr) + ", which no earlier event allocated");
                }
                oldId[i] = id;
                liveBytes -= sizes.get(id);
                if (owner.get(id) != e.thread()) {
                    cross++;
                }
            } else {
                Integer prev = live.put(e.address(), sizes.size());
                if (prev != null) {
                    throw new TraceException("trace file " + file + ": event " + i + " (thread " + e.thread() + ", t=" + e.end()
                            + " ns) allocates 0x" + Long.toHexString(e.address()) + ", which is still live (allocated, never freed)");
                }
                newId[i] = sizes.size();
                sizes.add(e.size());
                owner.add(e.thread());
                liveBytes += e.size();
                peakBytes = Math.max(peakBytes, liveBytes);
                maxLive = Math.max(maxLive, live.size());
            }
        }
        int threadCount = c.threadNames().size();
        int[] perThread = new int[threadCount];
        for (RawEvent e : ev) {
            perThread[e.thread()]++;
        }
        // per thread, in time order (a thread's chunks may reach the file out of order)
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> {
            RawEvent x = ev.get(a);
            RawEvent y = ev.get(b);
            return x.thread() != y.thread() ? Integer.compare(x.thread(), y.thread())
                    : x.time() != y.time() ? Long.compare(x.time(), y.time()) : Integer.compare(a, b);
        });
        List<Thread> threads = new ArrayList<>();
        int[] position = new int[n]; // event index -> position in its thread
        int p = 0;
        for (int t = 0; t < threadCount; t++) {
            int m = perThread[t];
            byte[] kind = new byte[m];
            long[] time = new long[m];
            long[] size = new long[m];
            int[] nid = new int[m];
            int[] oid = new int[m];
            for (int j = 0; j < m; j++, p++) {
                int i = idx[p];
                RawEvent e = ev.get(i);
                position[i] = j;
                kind[j] = switch (e.op()) {
                    case TraceReader.FREE, TraceReader.FREE_SEG -> FREE;
                    case TraceReader.REALLOC -> REALLOC;
                    default -> ALLOC;
                };
                time[j] = e.time();
                size[j] = e.size();
                nid[j] = newId[i];
                oid[j] = oldId[i];
            }
            threads.add(new Thread(c.threadNames().get(t), kind, time, size, nid, oid));
        }
        // the global order: each event once, at its first sort key (a realloc at its call)
        long[] order = new long[n];
        boolean[] seen = new boolean[n];
        int o = 0;
        for (long[] key : sorted) {
            int i = (int) key[2];
            if (!seen[i]) {
                seen[i] = true;
                order[o++] = ((long) ev.get(i).thread() << 32) | position[i];
            }
        }
        int[] sizeOfBlock = new int[sizes.size()];
        for (int i = 0; i < sizeOfBlock.length; i++) {
            sizeOfBlock[i] = (int) Math.min(Integer.MAX_VALUE, sizes.get(i));
        }
        long duration = 0;
        for (RawEvent e : ev) {
            duration = Math.max(duration, e.end());
        }
        return new Trace(file, c.note(), List.copyOf(threads), sizes.size(), sizeOfBlock, order, maxLive, peakBytes,
                liveBytes, cross, duration);
    }

    public Path file() {
        return file;
    }

    public String note() {
        return note;
    }

    public List<Thread> threads() {
        return threads;
    }

    /** Allocations in the trace (block ids are 0..blocks-1). */
    public int blocks() {
        return blocks;
    }

    /** The size a block was allocated with (capped at 2^31-1). */
    public int sizeOf(int id) {
        return sizeOfBlock[id];
    }

    /** Every operation once, in recorded time order: {@code thread << 32 | index in that thread}. */
    public long[] order() {
        return order;
    }

    public long events() {
        return order.length;
    }

    public int maxLive() {
        return maxLive;
    }

    /** The most requested bytes live at once. */
    public long livePeakBytes() {
        return livePeakBytes;
    }

    /** Requested bytes still live at the end of the trace (never freed by the recorded program). */
    public long liveEndBytes() {
        return liveEndBytes;
    }

    /** Frees (and reallocs) of a block that another thread allocated. */
    public long crossThreadFrees() {
        return crossThreadFrees;
    }

    /** Nanoseconds from the start of the recording to its last event. */
    public long durationNanos() {
        return durationNanos;
    }
}
