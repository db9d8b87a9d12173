package hakmem.api.spi;

/** How to decommit: the two madvise flavours the OS box supports. */
public enum Advice {
    /** {@code MADV_FREE}: cheap; pages stay counted as resident until the kernel needs them. */
    FREE,
    /** {@code MADV_DONTNEED}: resident memory falls at once; the next touch faults in zeroed pages. */
    DONTNEED
}
