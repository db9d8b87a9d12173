package hakmem.core.alloc;

import java.util.List;

/**
 * The footprint of one allocator at one moment, for the observers (JFR, the MBean): read from the pools and the
 * large-block cache under their locks, class by class, so each class's figures agree with each other, not
 * necessarily with another class's read a moment later. No system call (resident bytes are the allocator's
 * {@code residentBytes()}).
 *
 * @param mappedBytes    bytes mapped now
 * @param committedBytes mapped bytes that held data and were not decommitted since (slabs, live and cached large)
 * @param liveBytes      bytes of slabs held by thread heaps plus live large blocks (the fast path counts no bytes,
 *                       so this bounds the live data from above)
 * @param metadataBytes  Java-heap bytes of the allocator's bookkeeping ({@code metadata_bytes})
 * @param cachedLargeBytes bytes of freed large mappings kept for reuse
 * @param superSlabs     superslabs mapped
 * @param heaps          thread heaps
 * @param classes        the size classes that have a superslab mapped, smallest first
 */
public record Figures(long mappedBytes, long committedBytes, long liveBytes, long metadataBytes, long cachedLargeBytes,
                      long superSlabs, long heaps, List<ClassFigures> classes) {

    public Figures {
        classes = List.copyOf(classes);
    }

    /**
     * One size class.
     *
     * @param name               e.g. {@code C5}
     * @param blockSize          its block size in bytes
     * @param superSlabs         superslabs mapped
     * @param committedBytes     committed slab bytes (in use or empty)
     * @param emptyCommittedBytes committed bytes of slabs holding no block
     */
    public record ClassFigures(String name, long blockSize, long superSlabs, long committedBytes, long emptyCommittedBytes) {

        /** Bytes of slabs held by thread heaps. */
        public long inUseBytes() {
            return committedBytes - emptyCommittedBytes;
        }
    }
}
