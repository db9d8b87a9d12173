package hakmem.core.reliability;

import static hakmem.core.reliability.CheckedAllocator.expect;
import static hakmem.core.reliability.Reliability.KiB;
import static hakmem.core.reliability.Reliability.MiB;
import static org.assertj.core.api.Assertions.assertThat;

import hakmem.api.Allocator;
import hakmem.api.Hakmem;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input table of docs/reliability.md, one test per row: every bad call a user can make, on every built-in
 * policy, must throw the documented exception naming the value, bump the right counter, and leave the allocator
 * fully usable with every live block intact ({@link #usable} checks that after each row).
 */
class BadInputTest {

    static Stream<String> policies() {
        return Reliability.policies().stream();
    }

    /** After a bad call: a witness block allocated before it is intact, and malloc/free still work. */
    private static void usable(Allocator a, long witness, long witnessSize) {
        Patterns.verify("witness block", witness, witnessSize, Patterns.seed(witness, witnessSize));
        List<Long> blocks = new ArrayList<>();
        for (long size : new long[] {1, 16, 100, 1024, 5000, 40 * KiB}) {
            long b = a.malloc(size);
            Patterns.fill(b, size);
            blocks.add(b);
            blocks.add(size);
        }
        for (int i = 0; i < blocks.size(); i += 2) {
            Patterns.verify("probe", blocks.get(i), blocks.get(i + 1), Patterns.seed(blocks.get(i), blocks.get(i + 1)));
            a.free(blocks.get(i));
        }
    }

    private static long witness(Allocator a) {
        long w = a.malloc(200);
        Patterns.fill(w, 200);
        return w;
    }

    private static long counter(Allocator a, String name) {
        return a.stats().counter(name);
    }

    @ParameterizedTest
    @MethodSource("policies")
    void freeOfZeroIsANoOp(String policy) {
        try (Allocator a = Reliability.open(policy)) {
            long w = witness(a);
            a.free(0);
            a.free(MemorySegment.NULL);
            assertThat(counter(a, "invalid_frees")).isZero();
            usable(a, w, 200);
        }
    }

    @ParameterizedTest
    @MethodSource("policies")
    void freeOfForeignMemoryThrowsIllegalArgument(String policy) {
        try (Allocator a = Reliability.open(policy); Arena arena = Arena.ofConfined()) {
            long w = witness(a);
            long foreign = arena.allocate(4096, 16).address();
            long before = counter(a, "invalid_frees");
            expect(IllegalArgumentException.class, () -> a.free(foreign), "free(JVM arena memory)", foreign);
            expect(IllegalArgumentException.class, () -> a.free(MemorySegment.ofAddress(foreign)),
                    "free(segment over arena memory)", foreign);
            assertThat(counter(a, "invalid_frees")).isEqualTo(before + 2);
            usable(a, w, 200);
        }
    }

    @ParameterizedTest
    @MethodSource("policies")
    void freeOfWildAddressesThrowsIllegalArgument(String policy) {
        try (Allocator a = Reliability.open(policy)) {
            long w = witness(a);
            for (long addr : new long[] {1, 16, 4096, -1, -4096, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 47, 1L << 48,
                    (1L << 48) + 16, 0x7fff_ffff_f000L}) {
                expect(IllegalArgumentException.class, () -> a.free(addr), "free(" + Reliability.hex(addr) + ")", addr);
            }
            usable(a, w, 200);
        }
    }

    @ParameterizedTest
    @MethodSource("policies")
    void freeOfAnotherAllocatorsBlockThrowsIllegalArgument(String policy) {
        try (Allocator a = Reliability.open(policy); Allocator b = Reliability.open(policy)) {
            long w = witness(a);
            long mine = a.malloc(64);
            long large = a.malloc(100 * KiB);
            expect(IllegalArgumentException.class, () -> b.free(mine), "free(block of another allocator)", mine);
            expect(IllegalArgumentException.class, () -> b.free(large), "free(large block of another allocator)", large);
            a.free(mine); // still live in its own allocator
            a.free(large);
            usable(a, w, 200);
            usable(b, witness(b), 200);
        }
    }

    @ParameterizedTest
    @MethodSource("policies")
    void freeOfInteriorPointerThrowsIllegalArgument(String policy) {
        try (Allocator a = Reliability.open(policy)) {
            long w = witness(a);
            for (long size : new long[] {8, 24, 1000, 1500, 32 * KiB, 33 * KiB, 3 * MiB}) {
                long b = a.malloc(size);
                long usable = a.usableSize(b);
                for (long off : new long[] {1, 8, 15, 16, usable / 2, usable - 1, Math.min(usable - 1, 64 * KiB)}) {
                    if (off <= 0 || off >= usable) {
                        continue;
                    }
                    long before = counter(a, "invalid_frees");
                    expect(IllegalArgumentException.class, () -> a.free(b + off),
                            "free(interior " + off + " of " + size + "-byte block)", b + off);
                    expect(IllegalArgumentException.class, () -> a.realloc(b + off, 10),
                            "realloc(interior " + off + " of " + size + "-byte block)", b + off);
                    expect(IllegalArgumentException.class, () -> a.usableSize(b + off),
                            "usableSize(interior " + off + " of " + size + "-byte block)", b + off);
                    assertThat(counter(a, "invalid_frees")).isGreaterThan(before);
                }
                a.free(b); // the block itself is still live
            }
            usable(a, w, 200);
        }
    }

    @ParameterizedTest
    @MethodSource("policies")
    void doubleFreeOfSmallBlockThrowsIllegalState(String policy) {
        try (Allocator a = Reliability.open(policy)) {
            long w = witness(a);
            for (long size : new long[] {8, 16, 1024, 1025, 32 * KiB}) {
                long b = a.malloc(size);
                long keep = a.malloc(size); // keeps the slab from going empty and away
                a.free(b);
                long before = counter(a, "double_frees");
                expect(IllegalStateException.class, () -> a.free(b), "double free of " + size + "-byte block", b);
                assertThat(counter(a, "double_frees")).isEqualTo(before + 1);
                expect(IllegalStateException.class, () -> a.realloc(b, 8), "realloc of freed block", b);
                expect(IllegalStateException.class, () -> a.usableSize(b), "usableSize of freed block", b);
                a.free(keep);
            }
            usable(a, w, 200);
        }
    }

    @ParameterizedTest
    @MethodSource("policies")
    void doubleFreeByAnotherThreadThrowsIllegalState(String policy) throws Exception {
        try (Allocator a = Reliability.open(policy)) {
            long w = witness(a);
            long b = a.malloc(48);
            long keep = a.malloc(48);
            a.free(b);
            AtomicReference<Throwable> seen = new AtomicReference<>();
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    a.free(b);
                } catch (Throwable e) {
                    seen.set(e);
                }
            });
            t.join();
            assertThat(seen.get()).isInstanceOf(IllegalStateException.class);
            assertThat(CheckedAllocator.mentions(seen.get().getMessage(), b)).isTrue();
            // and the other way round: freed remotely, then freed again by the owner
            long c = a.malloc(48);
            Thread r = Thread.ofPlatform().start(() -> a.free(c));
            r.join();
            expect(IllegalStateException.class, () -> a.free(c), "owner frees a block another thread freed", c);
            a.free(keep);
            usable(a, w, 200);
        }
    }

    /**
     * A block above 32 KiB has its own mapping, unmapped at free; the contract still says a second free is a
     * double free ({@link IllegalStateException}).
     */
    @ParameterizedTest
    @MethodSource("policies")
    void doubleFreeOfLargeBlockThrowsIllegalState(String policy) {
        try (Allocator a = Reliability.open(policy)) {
            long w = witness(a);
            long b = a.malloc(100 * KiB);
            a.free(b);
            expect(IllegalStateException.class, () -> a.free(b), "double free of a 100 KiB block", b);
            // every call on the freed address gives the same answer as for a small block
            expect(IllegalStateException.class, () -> a.realloc(b, 8), "realloc of a freed 100 KiB block", b);
            expect(IllegalStateException.class, () -> a.usableSize(b), "usableSize of a freed 100 KiB block", b);
            usable(a, w, 200);
        }
    }

    @ParameterizedTest
    @MethodSource("policies")
    void negativeAndTooLargeSizesThrowIllegalArgument(String policy) {
        try (Allocator a = Reliability.open(policy)) {
            long w = witness(a);
            long live = a.malloc(100);
            Patterns.fill(live, 100);
            for (long size : new long[] {-1, -16, Long.MIN_VALUE, Allocator.MAX_SIZE + 1, Long.MAX_VALUE}) {
                expect(IllegalArgumentException.class, () -> a.malloc(size), "malloc(" + size + ")", size);
                expect(IllegalArgumentException.class, () -> a.realloc(0, size), "realloc(0, " + size + ")", size);
                expect(IllegalArgumentException.class, () -> a.realloc(live, size), "realloc(live, " + size + ")", size);
                expect(IllegalArgumentException.class, () -> a.allocate(size, 8), "allocate(" + size + ", 8)", size);
                expect(IllegalArgumentException.class, () -> a.allocate(size), "allocate(" + size + ")");
            }
            Patterns.verify("block after failed reallocs", live, 100, Patterns.seed(live, 100));
            a.free(live);
            usable(a, w, 200);
        }
    }

    @ParameterizedTest
    @MethodSource("policies")
    void callocNegativeOrOverflowingThrowsIllegalArgument(String policy) {
        try (Allocator a = Reliability.open(policy)) {
            long w = witness(a);
            long[][] bad = {{-1, 8}, {8, -1}, {Long.MIN_VALUE, 1}, {Long.MAX_VALUE, 2}, {1L << 32, 1L << 32},
                    {3, Long.MAX_VALUE / 2}, {1L << 20, 1L << 21}, {1, Allocator.MAX_SIZE + 1}};
            for (long[] cs : bad) {
                expect(IllegalArgumentException.class, () -> a.calloc(cs[0], cs[1]),
                        "calloc(" + cs[0] + ", " + cs[1] + ")");
            }
            usable(a, w, 200);
        }
    }

    @ParameterizedTest
    @MethodSource("policies")
    void badAlignmentsThrowIllegalArgument(String policy) {
        try (Allocator a = Reliability.open(policy)) {
            long w = witness(a);
            for (long alignment : new long[] {0, -1, -16, 3, 24, 1000, 2 * MiB, 1L << 40, Long.MIN_VALUE}) {
                expect(IllegalArgumentException.class, () -> a.allocate(64, alignment),
                        "allocate(64, " + alignment + ")", alignment);
            }
            // the largest supported alignment works
            MemorySegment s = a.allocate(100, MiB);
            assertThat(s.address() % MiB).isZero();
            a.free(s);
            usable(a, w, 200);
        }
    }

    @ParameterizedTest
    @MethodSource("policies")
    void freeOfHeapOrNullSegmentThrowsIllegalArgument(String policy) {
        try (Allocator a = Reliability.open(policy)) {
            long w = witness(a);
            expect(IllegalArgumentException.class, () -> a.free(MemorySegment.ofArray(new byte[64])), "free(heap segment)");
            expect(IllegalArgumentException.class, () -> a.free((MemorySegment) null), "free(null segment)");
            usable(a, w, 200);
        }
    }

    @ParameterizedTest
    @MethodSource("policies")
    void everyCallAfterCloseThrowsIllegalState(String policy) {
        Allocator a = Reliability.open(policy);
        long b = a.malloc(64);
        MemorySegment s = a.allocate(64, 64);
        a.close();
        expect(IllegalStateException.class, () -> a.malloc(16), "malloc after close");
        expect(IllegalStateException.class, () -> a.malloc(5000), "malloc(5000) after close");
        expect(IllegalStateException.class, () -> a.calloc(1, 16), "calloc after close");
        expect(IllegalStateException.class, () -> a.realloc(0, 16), "realloc(0) after close");
        expect(IllegalStateException.class, () -> a.realloc(b, 16), "realloc after close");
        expect(IllegalStateException.class, () -> a.free(b), "free after close");
        expect(IllegalStateException.class, () -> a.free(s), "free(segment) after close");
        expect(IllegalStateException.class, () -> a.usableSize(b), "usableSize after close");
        expect(IllegalStateException.class, () -> a.allocate(16, 16), "allocate after close");
        expect(IllegalStateException.class, a::residentBytes, "residentBytes after close");
        a.close(); // idempotent
        // bad arguments after close: closed wins (the allocator is gone, whatever the argument)
        expect(IllegalStateException.class, () -> a.malloc(-1), "malloc(-1) after close");
        expect(IllegalStateException.class, () -> a.free(12345), "free(foreign) after close");
    }

    /** The contract (Allocator#close): stats(), policy() and options() keep answering after close. */
    @ParameterizedTest
    @MethodSource("policies")
    void statsPolicyAndOptionsStillAnswerAfterClose(String policy) {
        Allocator a = Reliability.open(policy);
        a.malloc(100);
        a.malloc(100 * KiB);
        a.close();
        assertThat(a.policy()).isEqualTo(policy);
        assertThat(a.options()).isNotEmpty();
        assertThat(a.stats().count("mapped_bytes").current()).as("close unmapped everything").isZero();
        assertThat(a.stats().count("large_mappings").current()).isZero();
        new StatsCheck().check(a.stats(), "after close");
    }

    /**
     * Writing into a freed block is the user's bug and its effect undefined, but the allocator keeps its
     * bookkeeping off the blocks, so it must keep handing out distinct, non-overlapping blocks.
     */
    @ParameterizedTest
    @MethodSource("policies")
    void writesIntoFreedBlocksDoNotCorruptTheAllocator(String policy) {
        try (Allocator a = Reliability.open(policy)) {
            List<Long> freed = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                freed.add(a.malloc(32));
            }
            for (long f : freed) {
                a.free(f);
            }
            for (long f : freed) { // scribble over every freed block (and its neighbours' heads)
                MemorySegment.ofAddress(f).reinterpret(32).fill((byte) 0xA5);
                MemorySegment.ofAddress(f).reinterpret(32).set(ValueLayout.JAVA_LONG, 0, f ^ 0x1234);
            }
            Set<Long> seen = new HashSet<>();
            List<Long> again = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                long b = a.malloc(32);
                assertThat(seen.add(b)).as("address %s handed out twice", Reliability.hex(b)).isTrue();
                Patterns.fill(b, 32);
                again.add(b);
            }
            for (long b : again) {
                Patterns.verify("block", b, 32, Patterns.seed(b, 32));
                a.free(b);
            }
        }
    }

    @Test
    void unknownPolicyAndBadOptionsFailOpen() {
        IllegalArgumentException e = expect(IllegalArgumentException.class, () -> Hakmem.open("no-such-policy"),
                "open(unknown policy)");
        assertThat(e.getMessage()).contains("no-such-policy").contains("keep");
        expect(IllegalArgumentException.class, () -> Hakmem.open(" "), "open(blank policy)");
        expect(IllegalArgumentException.class, () -> Hakmem.open((String) null), "open(null policy)");
        IllegalArgumentException bad = expect(IllegalArgumentException.class,
                () -> Hakmem.open("keep", Map.of("ss.mem.lean.decommit", "MAYBE")), "open(bad decommit option)");
        assertThat(bad.getMessage()).contains("ss.mem.lean.decommit").contains("MAYBE").contains("DONTNEED");
        IllegalArgumentException size = expect(IllegalArgumentException.class,
                () -> Hakmem.open("keep", Map.of("ss.mem.lean.target.mb", "-5")), "open(negative size option)");
        assertThat(size.getMessage()).contains("ss.mem.lean.target.mb").contains("-5");
    }

    /** Issue 9 items 4 and 5: ranges, empty values and choices, through the public API. */
    @Test
    void optionValuesOutsideTheirRangeFailOpenNamingOptionValueSourceAndRange() {
        IllegalArgumentException idle = expect(IllegalArgumentException.class,
                () -> Hakmem.open("lean", Map.of("lean.keep.idle.ms", "40000000000000")), "open(keep idle time beyond a day)");
        assertThat(idle.getMessage()).contains("option lean.keep.idle.ms").contains("'40000000000000'").contains("(from api)")
                .contains("0..86400000");
        IllegalArgumentException delay = expect(IllegalArgumentException.class,
                () -> Hakmem.open("keep", Map.of("ss.mem.lean.delay.ms", String.valueOf(Long.MAX_VALUE))), "open(huge delay)");
        assertThat(delay.getMessage()).contains("option ss.mem.lean.delay.ms").contains("'" + Long.MAX_VALUE + "'")
                .contains("(from api)").contains("0..86400000");
        IllegalArgumentException target = expect(IllegalArgumentException.class,
                () -> Hakmem.open("lean", Map.of("ss.mem.lean.target.mb", "2T")), "open(target beyond 1 TiB)");
        assertThat(target.getMessage()).contains("option ss.mem.lean.target.mb").contains("'2T'").contains("0..1T");
        IllegalArgumentException slabs = expect(IllegalArgumentException.class,
                () -> Hakmem.open("lean", Map.of("lean.keep.slabs", "33")), "open(too many kept slabs)");
        assertThat(slabs.getMessage()).contains("option lean.keep.slabs").contains("'33'").contains("0..32");
    }

    @Test
    void anEmptyOptionValueIsUnsetAndAnEmptyChoiceIsItsDefault() {
        try (Allocator a = Hakmem.open("lean", Map.of("lean.keep.slabs", "", "ss.mem.lean.decommit", " "))) {
            Map<String, String> values = new java.util.HashMap<>();
            a.options().forEach(o -> values.put(o.name(), o.value()));
            assertThat(values).containsEntry("lean.keep.slabs", "8").containsEntry("ss.mem.lean.decommit", "DONTNEED");
            long b = a.malloc(64);
            a.free(b);
        }
        IllegalArgumentException bad = expect(IllegalArgumentException.class,
                () -> Hakmem.open("lean", Map.of("ss.mem.lean.decommit", "never")), "open(bad decommit mode)");
        assertThat(bad.getMessage()).contains("option ss.mem.lean.decommit").contains("'never'").contains("(from api)")
                .contains("FREE, DONTNEED, OFF").doesNotContain("No enum constant");
    }
}
