package hakmem.api.spi;

/**
 * The OS primitive layer: the only code that maps, unmaps, advises and inspects memory. The core wraps it in
 * its OS layer, which aligns, counts, logs and enforces the madvise guard; implementations only do the call.
 *
 * <p>Preconditions (checked by the core before every call, not by implementations): addresses are page-aligned,
 * lengths are positive multiples of {@link #pageSize()}, and every range lies inside a mapping obtained from
 * {@link #mmap} and not yet unmapped. Results: a negative value is {@code -errno}.
 */
public interface OsBox {

    /** The page size in bytes (a power of two). */
    long pageSize();

    /** Maps {@code length} bytes of anonymous, private, read-write memory. Returns the address or -errno. */
    long mmap(long length);

    /** Unmaps a range. Returns 0 or -errno. */
    int munmap(long address, long length);

    /** Advises a range ({@code MADV_FREE} or {@code MADV_DONTNEED}). Returns 0 or -errno. */
    int madvise(long address, long length, Advice advice);

    /** Counts the resident pages of a range (mincore). Returns the count or -errno. */
    long residentPages(long address, long length);
}
