package hakmem.bench.sim;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The simulated OS's backing store on the real one: one reservation of address space (never resident until
 * written), ranges zeroed with {@code MADV_DONTNEED} where the simulated semantics need zeros, and {@code mincore} to
 * learn which pages the program wrote. No simulated figure or time comes from here.
 */
final class HostMemory {
    private static final int PROT_RW = 0x3;
    private static final int MAP_PRIVATE_ANON_NORESERVE = 0x02 | 0x20 | 0x4000;
    private static final int MADV_DONTNEED = 4;
    private static final int MADV_NOHUGEPAGE = 15;
    private static final MethodHandle MMAP;
    private static final MethodHandle MUNMAP;
    private static final MethodHandle MADVISE;
    private static final MethodHandle MINCORE;
    static final long PAGE_SIZE;

    static {
        Linker linker = Linker.nativeLinker();
        var libc = linker.defaultLookup();
        MMAP = linker.downcallHandle(libc.findOrThrow("mmap"), FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
        MUNMAP = linker.downcallHandle(libc.findOrThrow("munmap"), FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_LONG));
        MADVISE = linker.downcallHandle(libc.findOrThrow("madvise"), FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
        MINCORE = linker.downcallHandle(libc.findOrThrow("mincore"), FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
        try {
            PAGE_SIZE = (int) linker.downcallHandle(libc.findOrThrow("getpagesize"), FunctionDescriptor.of(ValueLayout.JAVA_INT))
                    .invokeExact();
        } catch (Throwable t) {
            throw new ExceptionInInitializerError(t);
        }
    }

    private final long raw;
    private final long rawLength;
    final long base;
    final long length;
    private MemorySegment vector = Arena.global().allocate(4096);

    /** Reserves {@code length} bytes aligned to {@code alignment}, without huge pages (pages are the model's unit). */
    HostMemory(long length, long alignment) {
        this.rawLength = length + alignment;
        try {
            raw = (long) MMAP.invokeExact(0L, rawLength, PROT_RW, MAP_PRIVATE_ANON_NORESERVE, -1, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("sim: cannot reserve host address space", t);
        }
        if (raw == -1L) {
            throw new IllegalStateException("sim: the host refused to reserve " + rawLength + " bytes of address space");
        }
        this.base = (raw + alignment - 1) & -alignment;
        this.length = length;
        advise(base, length, MADV_NOHUGEPAGE);
    }

    /** Drops the pages of a range on the host: they read as zero and are not resident until written again. */
    void zero(long address, long len) {
        advise(address, len, MADV_DONTNEED);
    }

    private static void advise(long address, long len, int advice) {
        int r;
        try {
            r = (int) MADVISE.invokeExact(address, len, advice);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        if (r != 0) {
            throw new IllegalStateException("sim: host madvise(" + advice + ") failed on 0x" + Long.toHexString(address) + "+" + len);
        }
    }

    /** The host's residency of a range, one byte per page (bit 0: resident); valid until the next call. */
    MemorySegment resident(long address, long len, long pageSize) {
        long pages = len / pageSize;
        if (vector.byteSize() < pages) {
            vector = Arena.global().allocate(Math.max(pages, vector.byteSize() * 2));
        }
        int r;
        try {
            r = (int) MINCORE.invokeExact(address, len, vector);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        if (r != 0) {
            throw new IllegalStateException("sim: host mincore failed on 0x" + Long.toHexString(address) + "+" + len);
        }
        return vector;
    }

    void release() {
        try {
            int ignored = (int) MUNMAP.invokeExact(raw, rawLength);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
