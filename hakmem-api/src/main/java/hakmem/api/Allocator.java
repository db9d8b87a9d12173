package hakmem.api;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.util.List;

/**
 * An off-heap memory allocator: hands out native memory that it maps itself and takes it back.
 *
 * <h2>Addresses</h2>
 * {@link #malloc}, {@link #calloc} and {@link #realloc} return raw addresses as {@code long}, so the hot path
 * creates no objects. Every returned address is 16-byte aligned and stays valid until it is freed or the
 * allocator is closed. Reading or writing a block after it was freed is undefined (the memory may belong to
 * another block); the allocator never touches a block's bytes on malloc or free, so such a bug corrupts user
 * data but never the allocator's own bookkeeping.
 *
 * <h2>Thread-safety</h2>
 * Every method may be called from any thread, platform or virtual, at any time. A block may be freed by a
 * thread other than the one that allocated it, also after that thread ended: its memory is then reused without a
 * new thread having to be created. {@link #close()} must not race with other calls: calls that
 * start after {@code close()} returned throw {@link IllegalStateException} (except {@link #stats()},
 * {@link #policy()} and {@link #options()}, which keep answering); memory obtained before is unmapped.
 * Two threads freeing the same block at the same moment is a double free that is caught when the calls do not
 * overlap; when they do, one free wins, the other is dropped and counted in {@code double_frees}, and the
 * allocator's lists stay sound.
 *
 * <h2>Errors</h2>
 * <ul>
 *   <li>{@link IllegalArgumentException}: a negative or too large size, a {@code count * size} that overflows,
 *       an alignment that is not a power of two or is too large, or an address this allocator never returned
 *       (a foreign address, an interior pointer). The message names the value.</li>
 *   <li>{@link IllegalStateException}: a block freed twice (the message names the address), or any call after
 *       {@link #close()}.</li>
 *   <li>{@link OutOfMemoryError}: the operating system refused memory; the message gives the request size and
 *       the errno. The allocator stays usable.</li>
 * </ul>
 * A failed call leaves the allocator fully usable and changes no live block.
 */
public interface Allocator extends SegmentAllocator, AutoCloseable {

    /** The largest size {@link #malloc} accepts: 2<sup>40</sup> bytes (1 TiB). */
    long MAX_SIZE = 1L << 40;

    /**
     * Allocates at least {@code size} bytes, 16-byte aligned, with unspecified contents.
     *
     * @param size bytes wanted, {@code 0 <= size <= MAX_SIZE}; 0 returns a unique minimal block
     * @return the block's address, never 0
     */
    long malloc(long size);

    /**
     * Allocates {@code count * size} zeroed bytes; throws {@link IllegalArgumentException} on overflow or above
     * {@link #MAX_SIZE}. Memory known to be zero already (fresh from the OS, or dropped with {@code MADV_DONTNEED})
     * is not written, so a large calloc does not make its pages resident.
     */
    long calloc(long count, long size);

    /**
     * Resizes a block, keeping its contents up to the smaller of the old and new sizes. {@code realloc(0, n)} is
     * {@code malloc(n)}. The returned address may equal {@code address}; if it differs, the old block is freed.
     */
    long realloc(long address, long size);

    /** Frees a block returned by this allocator. {@code free(0)} does nothing. */
    void free(long address);

    /** The number of bytes usable at {@code address} (at least the size asked for). */
    long usableSize(long address);

    /**
     * Allocates a segment of exactly {@code byteSize} bytes aligned to {@code byteAlignment} (a power of two up
     * to 1 MiB). The segment belongs to the allocator's scope: it is usable until {@link #free(MemorySegment)},
     * and {@link #close()} ends the scope, so an access after close throws {@link IllegalStateException} as with
     * any closed FFM segment ({@code segment.scope().isAlive()} turns false) instead of touching unmapped memory.
     * Accessing a segment after freeing it (before close) is a use-after-free, as with {@link #free(long)}.
     */
    @Override
    MemorySegment allocate(long byteSize, long byteAlignment);

    /** Frees a segment obtained from {@link #allocate(long, long)}; same as {@code free(segment.address())}. */
    void free(MemorySegment segment);

    /** An immutable snapshot of the allocator's counters. Cheap: no system call. Still answers after close. */
    AllocatorStats stats();

    /**
     * Bytes of the allocator's own mappings that are resident in physical memory now, measured with
     * {@code mincore} (one system call per mapping). The JVM's own footprint is not included.
     */
    long residentBytes();

    /**
     * Releases now everything the allocator holds and can release, whatever its release policy's pacing (as glibc's
     * {@code malloc_trim(0)} or mimalloc's {@code mi_collect(true)}): every fully empty superslab and every cached
     * mapping of a freed large block is unmapped, and every other empty slab is decommitted with
     * {@code MADV_DONTNEED} (unless a madvise error disabled decommit). Live blocks are never touched, and neither are
     * the empty slabs a thread heap keeps as its current slab. Thread-safe: other threads may malloc and free
     * meanwhile (what they free during the call may or may not be released by it). Costs system calls: meant for
     * "the service just went idle" or an operator's command, not for a loop.
     *
     * @return the bytes released: decommitted plus unmapped (an unmapped superslab counts its whole 2 MiB)
     * @throws IllegalStateException after {@link #close()}
     */
    long trim();

    /** The id of the release policy in force, e.g. {@code "balanced"}. */
    String policy();

    /** The effective option table of this allocator: every option, its value and where the value came from. */
    List<OptionValue> options();

    /**
     * Unmaps all memory. Idempotent. Every later call except {@code close()}, {@code stats()}, {@code policy()} and
     * {@code options()} throws {@link IllegalStateException}, and so does every access to a segment obtained from
     * {@link #allocate}. Closing while other threads still call the allocator is a programming error (their raw
     * addresses become invalid), but whatever races it, the allocator itself never faults, never unmaps a range
     * twice and leaves no mapping behind: racing calls get {@link IllegalStateException}.
     */
    @Override
    void close();
}
