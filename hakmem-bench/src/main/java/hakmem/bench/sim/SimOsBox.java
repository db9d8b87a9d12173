package hakmem.bench.sim;

import hakmem.api.spi.Advice;
import hakmem.api.spi.OsBox;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import java.util.TreeMap;

/**
 * The simulated OS box (bound with {@code --os sim} through the OS box SPI): maps, decommits and counts pages in a
 * {@link PageModel}, charging {@link SimConfig#syscallNanos()} of virtual time per mmap, munmap and madvise. Addresses
 * come from one host reservation, first fit from its lowest address (mappings of 2 MiB and more 2 MiB-aligned), so
 * the same calls get the same addresses on any machine. Which pages the program wrote is learnt from the host's
 * residency of that reservation (pages the model had dropped are dropped on the host too, so a page resident on the
 * host is one written since), at every call on a range and every residency query: faults are counted then.
 */
public final class SimOsBox implements OsBox {
    static final long PAGE = 4096;
    static final long RESERVE = 64L << 30;
    static final long BIG = 2L << 20;

    private final SimConfig config;
    private final SimClock clock;
    private final HostMemory host;
    private final PageModel model;
    /** Free ranges of the reservation: start -> length. */
    private final TreeMap<Long, Long> free = new TreeMap<>();
    private long syscalls;

    public SimOsBox(SimConfig config, SimClock clock) {
        if (HostMemory.PAGE_SIZE != PAGE) {
            throw new IllegalStateException("sim: the simulated OS has 4 KiB pages and needs a host with 4 KiB pages; this one has "
                    + HostMemory.PAGE_SIZE);
        }
        this.config = config;
        this.clock = clock;
        this.host = new HostMemory(RESERVE, BIG);
        this.model = new PageModel((int) (RESERVE / PAGE), PAGE, config, clock);
        free.put(host.base, RESERVE);
    }

    @Override
    public long pageSize() {
        return PAGE;
    }

    @Override
    public synchronized long mmap(long length) {
        charge();
        long align = length >= BIG ? BIG : PAGE;
        for (Map.Entry<Long, Long> e : free.entrySet()) {
            long start = e.getKey();
            long end = start + e.getValue();
            long a = (start + align - 1) & -align;
            if (a + length <= end) {
                free.remove(start);
                if (a > start) {
                    free.put(start, a - start);
                }
                if (a + length < end) {
                    free.put(a + length, end - a - length);
                }
                model.map(page(a), pages(length));
                return a;
            }
        }
        return -12; // ENOMEM
    }

    @Override
    public synchronized int munmap(long address, long length) {
        charge();
        sync(address, length);
        model.unmap(page(address), pages(length));
        host.zero(address, length); // a later mapping of this range starts zeroed
        long start = address;
        long len = length;
        Map.Entry<Long, Long> before = free.floorEntry(start);
        if (before != null && before.getKey() + before.getValue() == start) {
            start = before.getKey();
            len += before.getValue();
            free.remove(before.getKey());
        }
        Long afterLen = free.get(address + length);
        if (afterLen != null) {
            free.remove(address + length);
            len += afterLen;
        }
        free.put(start, len);
        return 0;
    }

    @Override
    public synchronized int madvise(long address, long length, Advice advice) {
        charge();
        sync(address, length);
        if (advice == Advice.DONTNEED) {
            model.dontNeed(page(address), pages(length));
        } else {
            model.free(page(address), pages(length));
        }
        host.zero(address, length); // DONTNEED reads zero; FREE's contents are undefined, and the host page is clean again
        return 0;
    }

    @Override
    public synchronized long residentPages(long address, long length) {
        sync(address, length);
        return model.residentIn(page(address), pages(length));
    }

    /** Pages of the range written since the model last saw them: faults (or a lazily free page taken back). */
    private void sync(long address, long length) {
        MemorySegment v = host.resident(address, length, PAGE);
        int first = page(address);
        int n = pages(length);
        for (int i = 0; i < n; i++) {
            if ((v.get(ValueLayout.JAVA_BYTE, i) & 1) != 0) {
                byte s = model.state(first + i);
                if (s == PageModel.CLEAN || s == PageModel.LAZY) {
                    model.touched(first + i);
                }
            }
        }
    }

    private void charge() {
        syscalls++;
        clock.advance(config.syscallNanos());
    }

    private int page(long address) {
        long off = address - host.base;
        if (off < 0 || off >= RESERVE) {
            throw new IllegalArgumentException("sim: address 0x" + Long.toHexString(address) + " is outside the simulated memory");
        }
        return (int) (off / PAGE);
    }

    private static int pages(long length) {
        return (int) (length / PAGE);
    }

    /** Resident pages of the whole simulated memory. */
    public synchronized long residentPages() {
        return model.resident();
    }

    public synchronized long faults() {
        return model.faults();
    }

    public synchronized long syscalls() {
        return syscalls;
    }

    /** Lazily free pages dropped by the configured memory pressure. */
    public synchronized long droppedByPressure() {
        return model.dropped();
    }

    public SimConfig config() {
        return config;
    }

    /** Gives the host reservation back (after the allocator was closed). */
    public synchronized void release() {
        host.release();
    }
}
