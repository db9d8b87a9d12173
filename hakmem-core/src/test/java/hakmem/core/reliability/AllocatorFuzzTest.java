package hakmem.core.reliability;

import static hakmem.core.reliability.CheckedAllocator.expect;
import static hakmem.core.reliability.Reliability.KiB;
import static hakmem.core.reliability.Reliability.MiB;

import com.code_intelligence.jazzer.junit.FuzzTest;
import hakmem.api.Allocator;
import hakmem.core.reliability.AuditingOsBox.Op;
import hakmem.core.reliability.LiveSet.Block;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Jazzer fuzz test: the input bytes drive an operation stream (malloc, calloc, realloc, free, allocate, close)
 * mixed with bad calls (foreign addresses, interior pointers, double frees, negative, huge and overflowing sizes,
 * bad alignments, heap segments). Every good call is checked as in the model check; every bad call must throw
 * its documented exception naming the value, bump the right counter, and leave the allocator usable (a probe
 * malloc/free follows each one). The allocator runs over an {@link AuditingOsBox}, so any munmap/madvise/mincore
 * outside the allocator's own mappings, or madvise over a live block, fails the run, and an OutOfMemoryError is
 * accepted only when the OS (the box) really refused an mmap. Inputs also arm faults while the stream goes on
 * ({@code MMAP_FAULT}, {@code MADVISE_FAULT}, {@code HEAL}); after every step {@link FaultModel#check} verifies the
 * contents of every live block, stats against the box and the core's invariant audit.
 *
 * <p>CI replays the regression corpus in {@code src/test/resources/hakmem/core/reliability/AllocatorFuzzTestInputs/
 * operations/}. Fuzz for real with {@code JAZZER_FUZZ=1} (see docs/reliability.md).
 */
class AllocatorFuzzTest {

    /** The operations an input can ask for; the regression corpus must reach each of them. */
    enum Kind {
        MALLOC, CALLOC, REALLOC, REALLOC_NULL, FREE, FREE_SEGMENT, ALLOCATE, VERIFY, CLOSE,
        BAD_FOREIGN, BAD_INTERIOR, BAD_DOUBLE_FREE, BAD_SIZE, BAD_CALLOC, BAD_ALIGNMENT, BAD_HEAP_SEGMENT,
        HUGE_SIZE,
        /** Arms ENOMEM on a random upcoming mmap (after 0..15 more, 1..3 of them or an outage until healed). */
        MMAP_FAULT,
        /** Arms a madvise error (EINVAL / EAGAIN / ENOMEM) after 0..5 more calls: it disables decommit. */
        MADVISE_FAULT,
        /** Heals every armed fault. */
        HEAL,
        /** Up to 2.5 MiB of one size, then all but 0..2 freed: slabs and superslabs empty, so lean decommits. */
        BURST
    }

    private static final int MAX_STEPS = 200;
    /**
     * {@link FaultModel#check} (contents, stats against the box, the audit) after every this many steps
     * ({@code -Dhakmem.reliability.fuzz.check.every}, default 1: after every step, as in CI); the other steps get
     * the model check's step checks. A long fuzzing session may trade checks for executions with a larger value.
     */
    private static final int CHECK_EVERY = Math.max(1, Reliability.knob("fuzz.check.every", 1));
    /** Live bytes an input may hold before its oldest blocks are freed (keeps executions fast). */
    private static final long LIVE_CAP = 24 * MiB;
    private static final Map<String, Harness> HARNESSES = new LinkedHashMap<>();
    private static final EnumMap<Kind, Long> KINDS = new EnumMap<>(Kind.class);
    private static final EnumMap<Kind, Long> NANOS = new EnumMap<>(Kind.class);
    private static final MemorySegment FOREIGN = Arena.global().allocate(64 * KiB, 4096);
    private static long executions;
    private static long operations;
    private static long ooms;
    private static long faultsArmed;
    private static long audits;
    private static long auditNanos;
    private static long decommitDisabledReopens;
    private static long runNanos;
    private static long checkNanos;

    /**
     * Jazzer's bug-detector hooks target injection bugs (SQL, LDAP, deserialization ...), none of which this
     * allocator can have, and its bundled ASM cannot read Java 25 class files anyway; skipping them saves CI time.
     */
    @BeforeAll
    static void noHooks() {
        System.setProperty("jazzer.hooks", "false");
    }

    @FuzzTest(maxDuration = "5m")
    void operations(byte[] input) {
        ByteInput data = new ByteInput(input);
        List<String> policies = Reliability.policies();
        String policy = policies.get(data.consumeInt(0, policies.size() - 1));
        Harness h = HARNESSES.computeIfAbsent(policy, Harness::new);
        executions++;
        boolean ok = false;
        long t0 = System.nanoTime();
        try {
            h.run(data);
            ok = true;
        } finally {
            runNanos += System.nanoTime() - t0;
            if (!ok) {
                // the allocator's state is suspect: the next input starts from a fresh one
                HARNESSES.remove(policy);
                try {
                    h.ca.close();
                } catch (RuntimeException | Error ignored) {
                    // already failing
                }
            }
        }
    }

    @AfterAll
    static void closeAndReport() {
        Map<String, String> memory = new LinkedHashMap<>();
        long mmapFaults = 0;
        long madviseFaults = 0;
        for (Map.Entry<String, Harness> e : HARNESSES.entrySet()) {
            mmapFaults += e.getValue().box.injected(Op.MMAP);
            madviseFaults += e.getValue().box.injected(Op.MADVISE);
            var s = e.getValue().ca.allocator().stats();
            memory.put(e.getKey(), "mapped_bytes=" + s.count("mapped_bytes").current() + "/peak "
                    + s.count("mapped_bytes").peak() + ",superslabs=" + s.count("superslabs").current()
                    + ",opens=" + e.getValue().ca.opens);
            e.getValue().ca.close();
        }
        HARNESSES.clear();
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("executions", executions);
        f.put("operations", operations);
        f.put("ooms_from_refused_mmap", ooms);
        f.put("faults_armed", faultsArmed);
        f.put("mmap_faults_injected", mmapFaults);
        f.put("madvise_faults_injected", madviseFaults);
        f.put("audits", audits);
        f.put("millis_in_audits", auditNanos / 1_000_000);
        f.put("reopens_after_decommit_disabled", decommitDisabledReopens);
        f.put("millis_in_inputs", runNanos / 1_000_000);
        f.put("millis_in_step_checks", checkNanos / 1_000_000);
        f.put("memory_at_end", memory);
        f.put("kinds", KINDS);
        Map<Kind, Long> millis = new EnumMap<>(Kind.class);
        NANOS.forEach((k, v) -> millis.put(k, v / 1_000_000));
        f.put("millis_per_kind", millis);
        Reliability.recordFigures("AllocatorFuzzTest" + (fuzzing() ? "(fuzzing)" : "(regression)"), f);
        if (!fuzzing() && executions > 1) {
            for (Kind k : Kind.values()) {
                if (KINDS.getOrDefault(k, 0L) == 0) {
                    throw new AssertionError("the regression corpus never reaches " + k + "; add an input that does");
                }
            }
        }
    }

    private static boolean fuzzing() {
        String v = System.getenv("JAZZER_FUZZ");
        return v != null && !v.isEmpty();
    }

    private static void count(Kind k) {
        KINDS.merge(k, 1L, Long::sum);
        operations++;
    }

    /** One allocator per policy, reused across inputs; every input ends with all its blocks freed. */
    static final class Harness {
        final AuditingOsBox box = new AuditingOsBox();
        final CheckedAllocator ca;
        final FaultModel faults;
        /** Addresses freed and not live again: {address, generation of its mapping when freed}. */
        final Deque<long[]> freed = new ArrayDeque<>();

        Harness(String policy) {
            ca = new CheckedAllocator(policy, Reliability.EAGER_DECOMMIT, box);
            faults = new FaultModel(ca);
        }

        void run(ByteInput data) {
            freed.clear();
            faults.heal();
            int steps = 0;
            while (data.remainingBytes() > 0 && steps++ < MAX_STEPS) {
                Kind k = Kind.values()[data.consumeInt(0, Kind.values().length - 1)];
                long t0 = System.nanoTime();
                step(k, data);
                NANOS.merge(k, System.nanoTime() - t0, Long::sum);
                long t1 = System.nanoTime();
                long auditsBefore = faults.audits;
                long auditNanosBefore = faults.auditNanos;
                if (steps % CHECK_EVERY == 0) {
                    faults.check("after " + k + " (step " + steps + ")");
                } else {
                    ca.checkStep("after " + k + " (step " + steps + ")");
                }
                checkAccounting(k);
                audits += faults.audits - auditsBefore;
                auditNanos += faults.auditNanos - auditNanosBefore;
                checkNanos += System.nanoTime() - t1;
            }
            faults.heal();
            for (Block b : ca.live.blocks()) {
                ca.free(b, false);
            }
            faults.check("after freeing everything");
            checkAccounting(null);
            audits++;
            if (ca.allocator().stats().counter("decommit_disabled") == 1) {
                // a madvise fault disabled decommit for good: the next input starts with an allocator that decommits
                freed.clear();
                ca.closeAndReopen();
                decommitDisabledReopens++;
            }
        }

        private void checkAccounting(Kind k) {
            long mapped = ca.allocator().stats().count("mapped_bytes").current();
            if (mapped != box.mappedBytes()) {
                throw new AssertionError("after " + k + ": mapped_bytes " + mapped + " but the OS box holds "
                        + box.mappedBytes() + " bytes mapped");
            }
        }

        private void step(Kind k, ByteInput data) {
            count(k);
            Allocator a = ca.allocator();
            while (ca.live.liveBytes() > LIVE_CAP) { // bounds the cost of one input: free the oldest blocks
                Block oldest = ca.live.get(0);
                ca.free(oldest, false);
                noteFreed(oldest.address());
            }
            switch (k) {
                case MALLOC -> {
                    long size = size(data);
                    guardOom(size, () -> noteLive(ca.malloc(size)));
                }
                case CALLOC -> {
                    long count = data.consumeLong(1, 64);
                    long size = size(data) / count;
                    guardOom(count * size, () -> noteLive(ca.calloc(count, size)));
                }
                case REALLOC -> {
                    Block b = pick(data);
                    if (b != null) {
                        long size = size(data);
                        guardOom(Math.max(size, 1), () -> { // realloc(p, 0) asks malloc for 1 byte
                            Block nb = ca.realloc(b, size);
                            if (nb.address() != b.address()) {
                                noteFreed(b.address());
                            }
                            noteLive(nb);
                        });
                    }
                }
                case REALLOC_NULL -> {
                    long size = size(data);
                    guardOom(size, () -> noteLive(ca.reallocNull(size)));
                }
                case FREE, FREE_SEGMENT -> {
                    Block b = pick(data);
                    if (b != null) {
                        ca.free(b, k == Kind.FREE_SEGMENT);
                        noteFreed(b.address());
                    }
                }
                case ALLOCATE -> {
                    long size = Math.min(size(data), 2 * MiB);
                    long alignment = 1L << data.consumeInt(0, 20);
                    guardOom(size, () -> noteLive(ca.allocate(size, alignment)));
                }
                case VERIFY -> ca.verifyAll();
                case CLOSE -> {
                    if (data.consumeInt(0, 31) == 0) { // rare: reopening costs an injector (and a prewarm)
                        freed.clear();
                        faults.heal(); // a prewarming policy maps at open
                        ca.closeAndReopen();
                    }
                }
                case BAD_FOREIGN -> {
                    long addr = foreign(data);
                    if (addr != 0) {
                        badAddress(a, addr, IllegalArgumentException.class, "foreign address");
                    }
                }
                case BAD_INTERIOR -> {
                    Block b = pick(data);
                    if (b != null && b.usable() > 1) {
                        long addr = b.address() + data.consumeLong(1, b.usable() - 1);
                        badAddress(a, addr, IllegalArgumentException.class, "interior pointer of " + b);
                    }
                }
                case BAD_DOUBLE_FREE -> {
                    long[] f = freed.pollFirst();
                    if (f != null && !ca.live.isLiveAddress(f[0])) {
                        // same mapping as when freed: it must be recognised as a double free; if the mapping has
                        // been unmapped (or replaced) since, "not allocated here" is right too
                        boolean sameMapping = f[1] >= 0 && box.generationAt(f[0]) == f[1];
                        Class<? extends RuntimeException> want = sameMapping
                                ? IllegalStateException.class : RuntimeException.class;
                        badAddress(a, f[0], want, "freed block");
                    }
                }
                case BAD_SIZE -> {
                    long size = switch (data.consumeInt(0, 3)) {
                        case 0 -> data.consumeLong(Long.MIN_VALUE, -1);
                        case 1 -> -1;
                        case 2 -> Allocator.MAX_SIZE + 1;
                        default -> data.consumeLong(Allocator.MAX_SIZE + 1, Long.MAX_VALUE);
                    };
                    expect(IllegalArgumentException.class, () -> a.malloc(size), "malloc(" + size + ")", size);
                    expect(IllegalArgumentException.class, () -> a.realloc(0, size), "realloc(0, " + size + ")", size);
                    expect(IllegalArgumentException.class, () -> a.allocate(size, 16), "allocate(" + size + ")", size);
                    Block b = pick(data);
                    if (b != null) {
                        expect(IllegalArgumentException.class, () -> a.realloc(b.address(), size),
                                "realloc(" + b + ", " + size + ")", size);
                        ca.verify(b);
                    }
                    bump("invalid size");
                }
                case BAD_CALLOC -> {
                    long count;
                    long size;
                    if (data.consumeBoolean()) { // negative
                        count = data.consumeBoolean() ? data.consumeLong(Long.MIN_VALUE, -1) : data.consumeLong(0, 1 << 20);
                        size = count < 0 ? data.consumeLong(0, 1 << 20) : data.consumeLong(Long.MIN_VALUE, -1);
                    } else { // count * size overflows 64 bits or exceeds MAX_SIZE
                        count = data.consumeLong(2, Long.MAX_VALUE);
                        long minSize = Allocator.MAX_SIZE / count + 1;
                        size = data.consumeLong(minSize, Long.MAX_VALUE);
                    }
                    expect(IllegalArgumentException.class, () -> a.calloc(count, size),
                            "calloc(" + count + ", " + size + ")");
                    bump("calloc overflow");
                }
                case BAD_ALIGNMENT -> {
                    long alignment = switch (data.consumeInt(0, 4)) {
                        case 0 -> 0;
                        case 1 -> data.consumeLong(Long.MIN_VALUE, -1);
                        case 2 -> 2 * MiB << data.consumeInt(0, 40);
                        default -> {
                            long x = data.consumeLong(3, 1 << 20);
                            yield Long.bitCount(x) == 1 ? x + 1 + (x == 2 ? 1 : 0) : x;
                        }
                    };
                    long size = data.consumeLong(0, 4096);
                    expect(IllegalArgumentException.class, () -> a.allocate(size, alignment),
                            "allocate(" + size + ", " + alignment + ")", alignment);
                    bump("bad alignment");
                }
                case BAD_HEAP_SEGMENT -> {
                    MemorySegment heap = MemorySegment.ofArray(new byte[(int) data.consumeLong(0, 64)]);
                    expect(IllegalArgumentException.class, () -> a.free(heap), "free(heap segment)");
                    bump("heap segment");
                }
                case MMAP_FAULT -> {
                    long skip = data.consumeLong(0, 15);
                    long times = data.consumeInt(0, 7) == 0 ? Long.MAX_VALUE : data.consumeLong(1, 3);
                    faults.armMmap(skip, times);
                    faultsArmed++;
                }
                case MADVISE_FAULT -> {
                    int[] errnos = {NativeOsBox.EINVAL, NativeOsBox.EAGAIN, NativeOsBox.ENOMEM};
                    faults.armMadvise(data.consumeLong(0, 5), errnos[data.consumeInt(0, errnos.length - 1)]);
                    faultsArmed++;
                }
                case HEAL -> faults.heal();
                case BURST -> {
                    long[] sizes = {64, 512, 1024, 4096, 16 * KiB, 30 * KiB};
                    long sz = sizes[data.consumeInt(0, sizes.length - 1)];
                    int n = (int) Math.max(4, Math.min(160, (5 * MiB / 2 + sz - 1) / sz));
                    int keep = data.consumeInt(0, 2);
                    List<Block> burst = new java.util.ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        if (faults.guard("malloc(" + sz + ") in a burst", sz, () -> burst.add(ca.malloc(sz)))) {
                            ooms++;
                            break;
                        }
                        noteLive(burst.getLast());
                    }
                    for (int i = keep; i < burst.size(); i++) {
                        ca.free(burst.get(i), false);
                        noteFreed(burst.get(i).address());
                    }
                }
                case HUGE_SIZE -> {
                    // valid but enormous: the OS may map it (untouched) or refuse (OutOfMemoryError naming size, errno)
                    long size = data.consumeLong(1L << 36, Allocator.MAX_SIZE);
                    guardOom(size, () -> {
                        Block b = ca.malloc(size);
                        noteLive(b);
                    });
                }
            }
        }

        private void bump(String what) {
            ca.badCalls++;
            probe(what);
        }

        /** After a bad call the allocator must still work (an armed mmap fault may still refuse it memory). */
        private void probe(String after) {
            Block[] b = new Block[1];
            if (!faults.guard("probe malloc(24) after " + after, 24, () -> b[0] = ca.malloc(24))) {
                ca.free(b[0], false);
                noteFreed(b[0].address());
            }
        }

        /**
         * free / free(segment) / realloc / usableSize of a bad address must all throw {@code want}, name the address,
         * bump invalid_frees or double_frees, and change nothing else.
         */
        private void badAddress(Allocator a, long addr, Class<? extends RuntimeException> want, String what) {
            long invalidBefore = a.stats().counter("invalid_frees");
            long doubleBefore = a.stats().counter("double_frees");
            RuntimeException e = expect(want, () -> a.free(addr), "free(" + what + ")", addr);
            long invalid = a.stats().counter("invalid_frees") - invalidBefore;
            long dbl = a.stats().counter("double_frees") - doubleBefore;
            if (e instanceof IllegalArgumentException ? invalid != 1 || dbl != 0 : dbl != 1 || invalid != 0) {
                throw new AssertionError("free(" + what + ") threw " + e + " but invalid_frees rose by " + invalid
                        + " and double_frees by " + dbl);
            }
            // a strict expectation holds for every call; a lenient one (the mapping is gone, so "not allocated
            // here" and "double free" are both right) is checked per call
            Class<? extends RuntimeException> same = want == RuntimeException.class ? want : e.getClass();
            if (addr > 0) {
                expect(same, () -> a.free(MemorySegment.ofAddress(addr)), "free(segment of " + what + ")", addr);
            }
            expect(same, () -> a.realloc(addr, 64), "realloc(" + what + ")", addr);
            expect(same, () -> a.usableSize(addr), "usableSize(" + what + ")", addr);
            ca.badCalls += 4;
            probe(what);
        }

        /**
         * Runs an allocation of {@code size} bytes. An OutOfMemoryError must come from a refused mmap of this call,
         * name the size and errno, and leave every live block as it was ({@link FaultModel#guard}); then the
         * allocator must still work (a probe), unless a fault is still armed.
         */
        private void guardOom(long size, Runnable r) {
            long refusedBefore = box.failures(Op.MMAP);
            if (!faults.guard("allocation of " + size + " bytes", size, r)) {
                return;
            }
            String m = String.valueOf(faults.lastOom);
            if (box.failures(Op.MMAP) == refusedBefore) {
                throw new AssertionError("OutOfMemoryError although the OS refused no mmap: " + m);
            }
            if (!m.contains("ENOMEM") && !m.contains("12")) {
                throw new AssertionError("OutOfMemoryError does not name errno: " + m);
            }
            if (!m.contains(Long.toString(size))) {
                throw new AssertionError("OutOfMemoryError does not name the request size " + size + ": " + m);
            }
            ooms++;
            probe("OutOfMemoryError");
        }

        private void noteLive(Block b) {
            freed.removeIf(f -> f[0] == b.address());
        }

        private void noteFreed(long address) {
            freed.removeIf(f -> f[0] == address);
            freed.addLast(new long[] {address, box.generationAt(address)});
            if (freed.size() > 64) {
                freed.pollFirst();
            }
        }

        private Block pick(ByteInput data) {
            int n = ca.live.size();
            return n == 0 ? null : ca.live.get(data.consumeInt(0, n - 1));
        }

        /** An address the allocator never returned and does not map, or 0 if none could be made. */
        private long foreign(ByteInput data) {
            long addr = switch (data.consumeInt(0, 4)) {
                case 0 -> FOREIGN.address() + (data.consumeLong(0, FOREIGN.byteSize() - 1) & ~15L);
                case 1 -> data.consumeLong(1, 65535);
                case 2 -> data.consumeLong(Long.MIN_VALUE, -1);
                case 3 -> (1L << 47) + data.consumeLong(0, Long.MAX_VALUE - (1L << 47));
                default -> data.consumeLong(1, (1L << 47) - 1) & ~15L;
            };
            if (addr == 0 || box.isMapped(addr) || ca.live.containing(addr) != null) {
                return 0;
            }
            return addr;
        }

        private static long size(ByteInput data) {
            return switch (data.consumeInt(0, 19)) {
                case 0, 1, 2, 3, 4, 5 -> data.consumeLong(0, 256);
                case 6, 7, 8, 9 -> data.consumeLong(257, 1024);
                case 10, 11, 12, 13 -> data.consumeLong(1025, 32 * KiB);
                case 14, 15 -> data.consumeLong(32 * KiB + 1, MiB);
                case 16 -> data.consumeLong(MiB + 1, 4 * MiB);
                case 17, 18 -> {
                    List<Long> b = ModelCheckTest.boundaries();
                    yield b.get(data.consumeInt(0, b.size() - 1));
                }
                default -> data.consumeInt(0, 3) == 0 ? data.consumeLong(0, 24 * MiB) : data.consumeLong(0, 64 * KiB);
            };
        }
    }
}
