package hakmem.core.policy;

import hakmem.api.Allocator;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A table of live blocks, each filled with a pattern derived from its address, size and a generation, verified
 * before it is freed and on demand. The live set is shared with {@link ShadowOsBox} so the OS box can tell
 * whether a madvise or munmap touches live data.
 *
 * <p>Order matters for the shadow's check: a block is entered in the live set after {@code malloc} returns and
 * removed before {@code free} is called, so every release the allocator makes while the block is in the set is
 * a genuine violation.
 */
final class BlockTable {

    static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED;

    private final Allocator allocator;
    private final ConcurrentSkipListMap<Long, Long> live;
    private final long[] address;
    private final long[] size;
    private final long[] generation;
    private long liveBytes;
    private long nextGeneration = 1;

    BlockTable(Allocator allocator, ConcurrentSkipListMap<Long, Long> live, int slots) {
        this.allocator = allocator;
        this.live = live;
        this.address = new long[slots];
        this.size = new long[slots];
        this.generation = new long[slots];
    }

    int slots() {
        return address.length;
    }

    boolean used(int slot) {
        return address[slot] != 0;
    }

    long liveBytes() {
        return liveBytes;
    }

    /** A size for a random op: mostly tiny classes, some larger superslab classes, a few dedicated mappings. */
    static long randomSize(SplittableRandom rng) {
        int p = rng.nextInt(100);
        if (p < 70) {
            return 1 + rng.nextInt(1024);
        } else if (p < 98) {
            return 1025 + rng.nextInt(32768 - 1024);
        }
        return 32769 + rng.nextInt(96 * 1024);
    }

    void malloc(int slot, long bytes) {
        free(slot);
        long a = allocator.malloc(bytes);
        enter(slot, a, bytes);
    }

    void calloc(int slot, long bytes) {
        free(slot);
        long a = allocator.calloc(1, bytes);
        MemorySegment s = MemorySegment.ofAddress(a).reinterpret(bytes);
        for (long i = 0; i < bytes; i++) {
            if (s.get(ValueLayout.JAVA_BYTE, i) != 0) {
                throw new AssertionError("calloc(" + bytes + ") at " + ShadowOsBox.hex(a) + ": byte " + i + " is not 0");
            }
        }
        enter(slot, a, bytes);
    }

    /** Reallocates the slot's block: the common prefix must survive the move. */
    void realloc(int slot, long bytes) {
        if (!used(slot)) {
            malloc(slot, bytes);
            return;
        }
        verify(slot);
        long old = address[slot];
        long keep = Math.min(size[slot], bytes);
        long gen = generation[slot];
        leave(slot);
        long a = allocator.realloc(old, bytes);
        MemorySegment s = MemorySegment.ofAddress(a).reinterpret(keep);
        for (long off = 0; off < keep; off++) {
            byte want = patternByte(old, gen, off);
            if (s.get(ValueLayout.JAVA_BYTE, off) != want) {
                throw new AssertionError("realloc " + ShadowOsBox.hex(old) + " -> " + ShadowOsBox.hex(a) + " (" + bytes
                        + " bytes) lost byte " + off);
            }
        }
        enter(slot, a, bytes);
    }

    void free(int slot) {
        if (!used(slot)) {
            return;
        }
        verify(slot);
        long a = address[slot];
        leave(slot);
        allocator.free(a);
    }

    void freeAll() {
        for (int i = 0; i < address.length; i++) {
            free(i);
        }
    }

    /** Takes the block out of the table without freeing it: another thread will free it. */
    long[] handOff(int slot) {
        verify(slot);
        long[] block = {address[slot], size[slot], generation[slot]};
        address[slot] = 0;
        liveBytes -= block[1];
        return block;
    }

    /** Verifies and frees a block handed off by another table (the cross-thread free). */
    static void verifyAndFree(Allocator allocator, ConcurrentSkipListMap<Long, Long> live, long[] block) {
        check(block[0], block[1], block[2]);
        live.remove(block[0]);
        allocator.free(block[0]);
    }

    void verifyAll() {
        for (int i = 0; i < address.length; i++) {
            if (used(i)) {
                verify(i);
            }
        }
    }

    void verify(int slot) {
        check(address[slot], size[slot], generation[slot]);
    }

    private void enter(int slot, long a, long bytes) {
        if (a == 0 || (a & 15) != 0) {
            throw new AssertionError("malloc(" + bytes + ") returned " + ShadowOsBox.hex(a) + ": not 16-byte aligned");
        }
        if (allocator.usableSize(a) < bytes) {
            throw new AssertionError("usableSize(" + ShadowOsBox.hex(a) + ") = " + allocator.usableSize(a) + " < " + bytes);
        }
        var before = live.lowerEntry(a + bytes);
        if (before != null && before.getKey() + before.getValue() > a) {
            throw new AssertionError("block " + ShadowOsBox.hex(a) + " (" + bytes + ") overlaps live block "
                    + ShadowOsBox.hex(before.getKey()) + " (" + before.getValue() + ")");
        }
        long gen = nextGeneration++;
        fill(a, bytes, gen);
        address[slot] = a;
        size[slot] = bytes;
        generation[slot] = gen;
        liveBytes += bytes;
        live.put(a, bytes);
    }

    private void leave(int slot) {
        live.remove(address[slot]);
        liveBytes -= size[slot];
        address[slot] = 0;
    }

    static long patternWord(long a, long gen, long off) {
        long x = (a + off) * 0x9E3779B97F4A7C15L ^ gen * 0xC2B2AE3D27D4EB4FL;
        return x ^ (x >>> 29);
    }

    static byte patternByte(long a, long gen, long off) {
        return (byte) (patternWord(a, gen, off & ~7L) >>> ((off & 7) * 8));
    }

    static void fill(long a, long bytes, long gen) {
        MemorySegment s = MemorySegment.ofAddress(a).reinterpret(bytes);
        long words = bytes & ~7L;
        for (long off = 0; off < words; off += 8) {
            s.set(WORD, off, patternWord(a, gen, off));
        }
        for (long off = words; off < bytes; off++) {
            s.set(ValueLayout.JAVA_BYTE, off, patternByte(a, gen, off));
        }
    }

    static void check(long a, long bytes, long gen) {
        MemorySegment s = MemorySegment.ofAddress(a).reinterpret(bytes);
        long words = bytes & ~7L;
        for (long off = 0; off < words; off += 8) {
            long got = s.get(WORD, off);
            long want = patternWord(a, gen, off);
            if (got != want) {
                throw new AssertionError("live block " + ShadowOsBox.hex(a) + " (" + bytes + " bytes) corrupted at offset "
                        + off + ": " + Long.toHexString(got) + " instead of " + Long.toHexString(want));
            }
        }
        for (long off = words; off < bytes; off++) {
            if (s.get(ValueLayout.JAVA_BYTE, off) != patternByte(a, gen, off)) {
                throw new AssertionError("live block " + ShadowOsBox.hex(a) + " (" + bytes + " bytes) corrupted at offset " + off);
            }
        }
    }
}
