package hakmem.core.reliability;

import hakmem.api.spi.Advice;
import hakmem.api.spi.OsBox;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * A test-only OS primitive (Linux x86-64/aarch64): plain FFM downcalls to mmap, munmap, madvise and mincore with
 * errno captured. It is the test suite's own, so that fault injection wraps a primitive that does not depend on
 * the core's internals; the core's OS layer (alignment, guard, stats) still runs above it.
 */
final class NativeOsBox implements OsBox {

    static final int ENOMEM = 12;
    static final int EAGAIN = 11;
    static final int EINVAL = 22;
    static final int EPERM = 1;

    private static final int PROT_READ_WRITE = 0x1 | 0x2;
    private static final int MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20;
    private static final int MADV_DONTNEED = 4;
    private static final int MADV_FREE = 8;
    private static final int SC_PAGESIZE = 30;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option ERRNO_OPTION = Linker.Option.captureCallState("errno");

    private static final MethodHandle MMAP = handle("mmap", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
    private static final MethodHandle MUNMAP = handle("munmap",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
    private static final MethodHandle MADVISE = handle("madvise", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    private static final MethodHandle MINCORE = handle("mincore", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
    private static final long PAGE_SIZE = pageSizeNow();

    private static MethodHandle handle(String name, FunctionDescriptor fd) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new IllegalStateException("libc symbol not found: " + name));
        return LINKER.downcallHandle(symbol, fd, ERRNO_OPTION);
    }

    private static long pageSizeNow() {
        MemorySegment symbol = LINKER.defaultLookup().find("sysconf").orElseThrow();
        MethodHandle sysconf = LINKER.downcallHandle(symbol,
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
        try {
            return (long) sysconf.invokeExact(SC_PAGESIZE);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public long pageSize() {
        return PAGE_SIZE;
    }

    @Override
    public long mmap(long length) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            long r = (long) MMAP.invokeExact(state, 0L, length, PROT_READ_WRITE, MAP_PRIVATE_ANONYMOUS, -1, 0L);
            return r == -1L ? -errno(state) : r;
        } catch (Throwable t) {
            throw new IllegalStateException("mmap downcall failed", t);
        }
    }

    @Override
    public int munmap(long address, long length) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int r = (int) MUNMAP.invokeExact(state, address, length);
            return r == -1 ? -errno(state) : 0;
        } catch (Throwable t) {
            throw new IllegalStateException("munmap downcall failed", t);
        }
    }

    @Override
    public int madvise(long address, long length, Advice advice) {
        int flag = advice == Advice.FREE ? MADV_FREE : MADV_DONTNEED;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int r = (int) MADVISE.invokeExact(state, address, length, flag);
            return r == -1 ? -errno(state) : 0;
        } catch (Throwable t) {
            throw new IllegalStateException("madvise downcall failed", t);
        }
    }

    @Override
    public long residentPages(long address, long length) {
        long pages = (length + PAGE_SIZE - 1) / PAGE_SIZE;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment vec = arena.allocate(pages);
            int r = (int) MINCORE.invokeExact(state, address, length, vec);
            if (r == -1) {
                return -errno(state);
            }
            long resident = 0;
            for (long i = 0; i < pages; i++) {
                resident += vec.get(ValueLayout.JAVA_BYTE, i) & 1;
            }
            return resident;
        } catch (Throwable t) {
            throw new IllegalStateException("mincore downcall failed", t);
        }
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }
}
