package hakmem.core.reliability;

import hakmem.api.Allocator;
import hakmem.api.AllocatorStats;
import hakmem.core.reliability.LiveSet.Block;
import java.lang.foreign.MemorySegment;
import java.util.Locale;
import java.util.Map;

/**
 * An allocator under a model: every operation is done on the real allocator and checked against a {@link LiveSet}
 * of the blocks the test holds. Shared by the model check, the fuzz test and the soak.
 *
 * <p>Checks per operation: address non-zero and aligned (16 bytes for malloc/calloc/realloc, the requested
 * alignment for allocate), {@code usableSize >= size}, no overlap with any live block, calloc memory zeroed,
 * realloc keeps the old pattern in the common prefix, every block's full pattern verified before it is freed or
 * reallocated. {@link #checkStep} adds stats consistency and unchanged usableSize plus the edges of every live
 * block; {@link #verifyAll} checks every byte of every live block.
 */
final class CheckedAllocator implements AutoCloseable {

    /** Blocks larger than this are filled and checked only on their first and last {@link #EDGE} bytes. */
    static final long FULL_FILL_LIMIT = 16 * Reliability.MiB;
    static final long EDGE = 4096;
    private static final long STEP_EDGE = 64;

    final String policy;
    final Map<String, String> options;
    final AuditingOsBox box;
    final LiveSet live = new LiveSet();
    final StatsCheck stats = new StatsCheck();
    private Allocator allocator;
    long operations;
    long badCalls;
    long bytesVerified;
    long opens;

    CheckedAllocator(String policy, Map<String, String> options, AuditingOsBox box) {
        this.policy = policy;
        this.options = options;
        this.box = box;
        open();
    }

    Allocator allocator() {
        return allocator;
    }

    /** The box's tallies when the current allocator was opened: mmap calls, madvise calls, madvise failures. */
    long[] boxAtOpen = new long[3];

    private void open() {
        if (box != null) {
            boxAtOpen = new long[] {box.calls(AuditingOsBox.Op.MMAP), box.calls(AuditingOsBox.Op.MADVISE),
                box.failures(AuditingOsBox.Op.MADVISE)};
        }
        allocator = box == null ? Reliability.open(policy, options) : Reliability.open(policy, options, box);
        opens++;
        stats.reset();
        if (box != null) {
            box.attach(live);
        }
        if (!policy.equals(allocator.policy())) {
            throw new AssertionError("opened policy '" + policy + "' but allocator says '" + allocator.policy() + "'");
        }
    }

    // ---------------------------------------------------------------- operations

    Block malloc(long size) {
        operations++;
        long a = allocator.malloc(size);
        return admit(a, size, 16, null, false);
    }

    Block calloc(long count, long size) {
        operations++;
        long a = allocator.calloc(count, size);
        return admit(a, count * size, 16, null, true);
    }

    Block allocate(long size, long alignment) {
        operations++;
        MemorySegment s = allocator.allocate(size, alignment);
        if (s.byteSize() != size) {
            throw new AssertionError("allocate(" + size + ", " + alignment + ") returned a segment of "
                    + s.byteSize() + " bytes");
        }
        if (!s.isNative()) {
            throw new AssertionError("allocate returned a heap segment " + s);
        }
        return admit(s.address(), size, alignment, s, false);
    }

    /** {@code realloc(0, size)}: same as malloc. */
    Block reallocNull(long size) {
        operations++;
        long a = allocator.realloc(0, size);
        return admit(a, size, 16, null, false);
    }

    Block realloc(Block b, long size) {
        operations++;
        verify(b);
        live.remove(b);
        long a;
        try {
            a = allocator.realloc(b.address(), size);
        } catch (RuntimeException | OutOfMemoryError e) {
            // a failed realloc leaves the old block alone
            live.add(b);
            verify(b);
            throw e;
        }
        if (a == 0) {
            throw new AssertionError("realloc(" + b + ", " + size + ") returned 0");
        }
        long keep = Math.min(b.size(), size);
        if (b.size() <= FULL_FILL_LIMIT && size <= FULL_FILL_LIMIT) {
            Patterns.verifyRange("realloc " + b + " -> " + size + " lost its contents; new block", a, 0, keep, b.seed());
            bytesVerified += keep;
        } else {
            Patterns.verifyRange("realloc " + b + " -> " + size + " lost its head; new block", a, 0,
                    Math.min(keep, EDGE), b.seed());
        }
        return admit(a, size, 16, null, false);
    }

    void free(Block b, boolean viaSegment) {
        operations++;
        verify(b);
        live.remove(b);
        if (viaSegment && b.segment() != null) {
            allocator.free(b.segment());
        } else {
            allocator.free(b.address());
        }
    }

    private Block admit(long address, long size, long alignment, MemorySegment segment, boolean zeroed) {
        String what = (segment != null ? "allocate(" + size + ", " + alignment + ")" : "block of " + size + " bytes")
                + " at " + Reliability.hex(address);
        if (address == 0) {
            throw new AssertionError(what + ": address 0");
        }
        if ((address & (alignment - 1)) != 0) {
            throw new AssertionError(what + ": not " + alignment + "-byte aligned");
        }
        long usable = allocator.usableSize(address);
        if (usable < size) {
            throw new AssertionError(what + ": usableSize " + usable + " < size " + size);
        }
        Block b = new Block(live.nextId(), address, size, usable, alignment, Patterns.seed(address, size), segment);
        live.add(b);
        if (zeroed) {
            long check = size <= FULL_FILL_LIMIT ? size : EDGE;
            long nz = Patterns.firstNonZero(address, check);
            if (nz >= 0) {
                throw new AssertionError("calloc " + b + ": byte at offset " + nz + " is not zero");
            }
        }
        if (size <= FULL_FILL_LIMIT) {
            Patterns.fill(address, size, b.seed());
        } else {
            Patterns.fill(address, EDGE, b.seed());
            fillTail(b);
        }
        return b;
    }

    private static void fillTail(Block b) {
        // pattern bytes at their absolute offsets, so verifyEdges can check them
        long from = b.size() - EDGE;
        var s = Patterns.at(b.address(), b.size());
        for (long k = from; k < b.size(); k++) {
            s.set(java.lang.foreign.ValueLayout.JAVA_BYTE, k, Patterns.expected(b.seed(), k));
        }
    }

    // ---------------------------------------------------------------- checks

    void verify(Block b) {
        if (b.size() <= FULL_FILL_LIMIT) {
            Patterns.verify("block " + b, b.address(), b.size(), b.seed());
            bytesVerified += b.size();
        } else {
            Patterns.verifyEdges("block " + b, b.address(), b.size(), b.seed(), EDGE);
            bytesVerified += 2 * EDGE;
        }
    }

    /** Blocks up to this size are verified whole by {@link #verifyAllSampled}; larger ones are sampled. */
    static final long SAMPLE_ABOVE = 64 * Reliability.KiB;

    /**
     * Cheap enough for every step of a fault-injecting chain: every block up to 64 KiB (all small-class blocks, the
     * ones decommit and retire could lose) whole; larger blocks (each its own mapping) on their first and last 4 KiB
     * and, up to {@link #FULL_FILL_LIMIT} (above it only the edges are filled), 16 bytes of every page in between, so
     * an unmapped or replaced page shows.
     */
    void verifyAllSampled(String where) {
        for (Block b : live.blocks()) {
            if (b.size() <= SAMPLE_ABOVE) {
                Patterns.verify(where + ": block " + b, b.address(), b.size(), b.seed());
                bytesVerified += b.size();
            } else {
                Patterns.verifyEdges(where + ": block " + b, b.address(), b.size(), b.seed(), EDGE);
                // above FULL_FILL_LIMIT only the edges hold the pattern
                for (long off = EDGE; b.size() <= FULL_FILL_LIMIT && off + 16 <= b.size() - EDGE; off += 4096) {
                    Patterns.verifyRange(where + ": block " + b, b.address(), off, off + 16, b.seed());
                }
                bytesVerified += 2 * EDGE + (b.size() / 4096) * 16;
            }
        }
    }

    void verifyAll() {
        for (Block b : live.blocks()) {
            verify(b);
        }
    }

    /** After every step: stats consistency, and each live block's usableSize and edge bytes unchanged. */
    AllocatorStats checkStep(String where) {
        AllocatorStats s = stats.check(allocator.stats(), where);
        long liveBytes = 0;
        long liveLarge = 0;
        for (Block b : live.blocks()) {
            long usable = allocator.usableSize(b.address());
            if (usable != b.usable()) {
                throw new AssertionError(where + ": usableSize of " + b + " changed to " + usable);
            }
            Patterns.verifyEdges(where + ": block " + b, b.address(), b.size(), b.seed(), STEP_EDGE);
            liveBytes += b.size();
            if (b.size() > Reliability.MiB) { // above the largest size class: from the large heap
                liveLarge++;
            }
        }
        long mapped = s.count("mapped_bytes").current();
        if (mapped < liveBytes) {
            throw new AssertionError(where + ": mapped_bytes " + mapped + " < live bytes " + liveBytes);
        }
        long large = s.count("large_blocks").current();
        if (large != liveLarge) {
            throw new AssertionError(where + ": large_blocks " + large + " but " + liveLarge + " live blocks over 1 MiB");
        }
        if (box != null && !box.violations().isEmpty()) {
            throw new AssertionError(where + ": OS box audit: " + box.violations());
        }
        return s;
    }

    /**
     * Closes the allocator, checks that every later call throws {@link IllegalStateException} and that close is
     * idempotent, then opens a fresh one (the model starts empty again).
     */
    void closeAndReopen() {
        operations++;
        verifyAll();
        checkStep("before close");
        Block any = live.isEmpty() ? null : live.get(0);
        Allocator closed = allocator;
        closed.close();
        live.clear();
        long addr = any != null ? any.address() : 0x10000L;
        expectClosed("malloc", () -> closed.malloc(16));
        expectClosed("calloc", () -> closed.calloc(2, 16));
        expectClosed("realloc", () -> closed.realloc(0, 16));
        expectClosed("allocate", () -> closed.allocate(16, 16));
        if (any != null) {
            expectClosed("free", () -> closed.free(addr));
            expectClosed("realloc", () -> closed.realloc(addr, 32));
            expectClosed("usableSize", () -> closed.usableSize(addr));
        }
        closed.close(); // idempotent
        open();
    }

    private static void expectClosed(String call, Runnable r) {
        expect(IllegalStateException.class, r, call + " after close");
    }

    @Override
    public void close() {
        if (box != null) {
            box.attach(null);
        }
        allocator.close();
        live.clear();
    }

    // ---------------------------------------------------------------- expectations

    /**
     * Runs {@code call}, which must throw {@code type}; if {@code mentions} is given, the message must name that
     * value (in decimal or hex).
     */
    static <T extends Throwable> T expect(Class<T> type, Runnable call, String what, long... mentions) {
        try {
            call.run();
        } catch (Throwable t) {
            if (!type.isInstance(t)) {
                AssertionError e = new AssertionError(what + ": expected " + type.getSimpleName() + " but got " + t);
                e.initCause(t);
                throw e;
            }
            for (long v : mentions) {
                if (!mentions(t.getMessage(), v)) {
                    throw new AssertionError(what + ": message does not name " + v + " (" + Reliability.hex(v)
                            + "): " + t.getMessage());
                }
            }
            return type.cast(t);
        }
        throw new AssertionError(what + ": expected " + type.getSimpleName() + " but the call returned normally");
    }

    static boolean mentions(String message, long value) {
        if (message == null) {
            return false;
        }
        String m = message.toLowerCase(Locale.ROOT);
        return m.contains(Long.toString(value)) || m.contains(Long.toHexString(value));
    }
}
