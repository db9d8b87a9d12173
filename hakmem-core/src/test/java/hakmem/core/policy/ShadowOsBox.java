package hakmem.core.policy;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * An independent OS box for contract tests: it performs the real system calls (so the allocator works as usual)
 * and watches them. It keeps its own map of what is mapped and, from the test, the set of live blocks; any
 * madvise or munmap that touches a live block, or a range that is not mapped, is recorded as a violation.
 * That catches what content checks cannot: an {@code MADV_FREE} over live data leaves the bytes intact until
 * the kernel reclaims them, so only the call itself shows the bug. A call that would be a violation is not made
 * (it returns {@code -EINVAL}): a broken core must fail the test, not corrupt the test JVM's own memory.
 */
final class ShadowOsBox implements OsBox {

    private static final int PROT_READ_WRITE = 0x1 | 0x2;
    private static final int MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20;
    private static final int MADV_DONTNEED = 4;
    private static final int MADV_FREE = 8;
    private static final int SC_PAGESIZE = 30;
    private static final int EINVAL = 22;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle MMAP = downcall("mmap", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
    private static final MethodHandle MUNMAP = downcall("munmap",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
    private static final MethodHandle MADVISE = downcall("madvise", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    private static final MethodHandle MINCORE = downcall("mincore", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
    private static final long PAGE = sysconf(SC_PAGESIZE);

    /** Live blocks (address to requested size) as the test sees them; filled by {@link BlockTable}. */
    private final ConcurrentSkipListMap<Long, Long> live;
    /** What is mapped now: start to end (exclusive). */
    private final NavigableMap<Long, Long> mapped = new TreeMap<>();
    private final List<String> violations = new ArrayList<>();
    private long mmaps;
    private long madvises;
    private long madvisedBytes;
    private long munmaps;

    ShadowOsBox(ConcurrentSkipListMap<Long, Long> live) {
        this.live = live;
    }

    private static MethodHandle downcall(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), fd,
                Linker.Option.captureCallState("errno"));
    }

    private static long sysconf(int name) {
        MethodHandle h = LINKER.downcallHandle(LINKER.defaultLookup().find("sysconf").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
        try {
            return (long) h.invokeExact(name);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    // ---- OsBox ----

    @Override
    public long pageSize() {
        return PAGE;
    }

    @Override
    public long mmap(long length) {
        // the call and the bookkeeping under one lock: otherwise another thread's munmap could free a range, the
        // kernel hand it to this mmap, and the shadow see the new mapping before it saw the old one go
        synchronized (this) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment state = arena.allocate(CAPTURE);
                long r = (long) MMAP.invokeExact(state, 0L, length, PROT_READ_WRITE, MAP_PRIVATE_ANONYMOUS, -1, 0L);
                if (r == -1L) {
                    return -(int) ERRNO.get(state, 0L);
                }
                if (overlapsMapping(r, r + length)) {
                    violations.add("mmap returned an address already mapped: " + hex(r));
                }
                mapped.put(r, r + length);
                mmaps++;
                return r;
            } catch (Throwable t) {
                throw new AssertionError(t);
            }
        }
    }

    @Override
    public int munmap(long address, long length) {
        if (!check("munmap", address, length)) {
            return -EINVAL;
        }
        synchronized (this) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment state = arena.allocate(CAPTURE);
                int r = (int) MUNMAP.invokeExact(state, address, length);
                if (r != 0) {
                    return -(int) ERRNO.get(state, 0L);
                }
                munmaps++;
                cut(address, address + length);
                return 0;
            } catch (Throwable t) {
                throw new AssertionError(t);
            }
        }
    }

    @Override
    public int madvise(long address, long length, Advice advice) {
        if (!check("madvise " + advice, address, length)) {
            return -EINVAL;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int flag = advice == Advice.FREE ? MADV_FREE : MADV_DONTNEED;
            int r = (int) MADVISE.invokeExact(state, address, length, flag);
            if (r != 0) {
                return -(int) ERRNO.get(state, 0L);
            }
            synchronized (this) {
                madvises++;
                madvisedBytes += length;
            }
            return 0;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    @Override
    public long residentPages(long address, long length) {
        long pages = (length + PAGE - 1) / PAGE;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment vec = arena.allocate(pages);
            int r = (int) MINCORE.invokeExact(state, address, length, vec);
            if (r != 0) {
                return -(int) ERRNO.get(state, 0L);
            }
            long resident = 0;
            for (long i = 0; i < pages; i++) {
                resident += vec.get(ValueLayout.JAVA_BYTE, i) & 1;
            }
            return resident;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    // ---- what tests inspect ----

    synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    synchronized long mappedBytes() {
        long sum = 0;
        for (Map.Entry<Long, Long> e : mapped.entrySet()) {
            sum += e.getValue() - e.getKey();
        }
        return sum;
    }

    synchronized long mmaps() {
        return mmaps;
    }

    synchronized long madvises() {
        return madvises;
    }

    synchronized long madvisedBytes() {
        return madvisedBytes;
    }

    synchronized long munmaps() {
        return munmaps;
    }

    // ---- bookkeeping ----

    /** Records a violation and returns false if the call must not be made (it would hit a live block or foreign memory). */
    private boolean check(String what, long address, long length) {
        long end = address + length;
        String problem = null;
        if (address % PAGE != 0 || length <= 0 || length % PAGE != 0) {
            problem = "not page-aligned";
        } else {
            synchronized (this) {
                if (!covered(address, end)) {
                    problem = "not wholly inside one of the allocator's mappings";
                }
            }
        }
        if (problem == null) {
            Map.Entry<Long, Long> block = live.lowerEntry(end);
            if (block != null && block.getKey() + block.getValue() > address) {
                problem = "overlaps the live block " + hex(block.getKey()) + " (" + block.getValue() + " bytes)";
            }
        }
        if (problem != null) {
            synchronized (this) {
                violations.add(what + " [" + hex(address) + ", " + hex(end) + "): " + problem);
            }
            return false;
        }
        return true;
    }

    /** True if [start, end) lies wholly inside mapped memory (adjacent mappings count as one). */
    private boolean covered(long start, long end) {
        long at = start;
        while (at < end) {
            Map.Entry<Long, Long> m = mapped.floorEntry(at);
            if (m == null || m.getValue() <= at) {
                return false;
            }
            at = m.getValue();
        }
        return true;
    }

    private boolean overlapsMapping(long start, long end) {
        Map.Entry<Long, Long> m = mapped.lowerEntry(end);
        return m != null && m.getValue() > start;
    }

    private void cut(long start, long end) {
        Map.Entry<Long, Long> m;
        while ((m = mapped.lowerEntry(end)) != null && m.getValue() > start) {
            long ms = m.getKey();
            long me = m.getValue();
            mapped.remove(ms);
            if (ms < start) {
                mapped.put(ms, start);
            }
            if (me > end) {
                mapped.put(end, me);
            }
        }
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
