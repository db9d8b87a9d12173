package hakmem.bench.workload;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The one global segment every workload reads and writes blocks through, whatever the subject: hakmem and the
 * raw peers hand out addresses, Netty and Arena blocks are reached through their addresses too, so all
 * subjects share this code path and the same checks.
 *
 * <p>Contents check: a block of {@code size} bytes at {@code address} gets a tag byte at offset 0 and at
 * {@code size - 1}; the tag mixes the address, the size and a salt (e.g. the slot index), so a block handed out
 * twice, or two blocks that overlap at their ends, are caught when the first of them is freed.
 */
public final class Mem {
    /** The system property that turns stamping and checking off: set for the JVM-baseline subject's runs only. */
    public static final String NO_TOUCH_PROPERTY = "hakmem.bench.no.touch";

    /**
     * False in a JVM-baseline run ({@code -Dhakmem.bench.no.touch=true}, set by the runner before any workload
     * code): its blocks are fake addresses, so {@link #stamp} writes nothing and {@link #intact} holds. A static
     * final, so the JIT folds it away in every other run.
     */
    public static final boolean TOUCH = !Boolean.getBoolean(NO_TOUCH_PROPERTY);

    /** All of memory (restricted: needs {@code --enable-native-access=hakmem.bench}). */
    public static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private Mem() {
    }

    /** The tag of a block. */
    public static byte tag(long address, long size, long salt) {
        return (byte) ((address >>> 4) ^ (address >>> 12) ^ size ^ salt);
    }

    /** Writes the block's tag at its first and last byte. */
    public static void stamp(long address, long size, long salt) {
        if (!TOUCH) {
            return;
        }
        byte t = tag(address, size, salt);
        ALL.set(ValueLayout.JAVA_BYTE, address, t);
        ALL.set(ValueLayout.JAVA_BYTE, address + size - 1, t);
    }

    /** True if the block still holds the tag {@link #stamp} wrote. */
    public static boolean intact(long address, long size, long salt) {
        if (!TOUCH) {
            return true;
        }
        byte t = tag(address, size, salt);
        return ALL.get(ValueLayout.JAVA_BYTE, address) == t && ALL.get(ValueLayout.JAVA_BYTE, address + size - 1) == t;
    }

    /** The failure for a block whose tag was overwritten: cold, kept out of the loops. */
    public static CheckFailure corrupted(String workload, long address, long size, long salt) {
        byte t = tag(address, size, salt);
        return new CheckFailure(String.format(
                "%s: block 0x%x of %d bytes lost its contents: expected tag 0x%02x at offsets 0 and %d, found 0x%02x and 0x%02x"
                        + " (the allocator handed out overlapping or reused memory)",
                workload, address, size, t & 0xff, size - 1, ALL.get(ValueLayout.JAVA_BYTE, address) & 0xff,
                ALL.get(ValueLayout.JAVA_BYTE, address + size - 1) & 0xff));
    }

    /** The failure for a subject that returned no memory. */
    public static CheckFailure nullBlock(String workload, long size) {
        return new CheckFailure(workload + ": the subject returned 0 for a request of " + size + " bytes");
    }
}
