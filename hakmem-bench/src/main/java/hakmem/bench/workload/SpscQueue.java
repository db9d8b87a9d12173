package hakmem.bench.workload;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A bounded single-producer single-consumer ring of {@code long} handles (non-zero). The producer publishes a
 * slot with a release store and the consumer takes it with an acquire load, so a block's contents written
 * before {@link #offer} are visible after {@link #poll}. Each side caches the other's index to keep
 * cache-line traffic down.
 */
public final class SpscQueue {
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
    private final long[] ring;
    private final int mask;
    // producer side
    private long tail;
    // consumer side
    private long head;

    public SpscQueue(int capacityPowerOfTwo) {
        if (Integer.bitCount(capacityPowerOfTwo) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two: " + capacityPowerOfTwo);
        }
        // padded: slots are spread 8 apart (one cache line) so producer and consumer rarely share a line
        ring = new long[capacityPowerOfTwo * 8];
        mask = capacityPowerOfTwo - 1;
    }

    /** Producer: false if full. */
    public boolean offer(long handle) {
        int i = (int) (tail & mask) << 3;
        if ((long) SLOT.getAcquire(ring, i) != 0) {
            return false;
        }
        SLOT.setRelease(ring, i, handle);
        tail++;
        return true;
    }

    /** Consumer: the next handle, or 0 if empty. */
    public long poll() {
        int i = (int) (head & mask) << 3;
        long h = (long) SLOT.getAcquire(ring, i);
        if (h != 0) {
            SLOT.setRelease(ring, i, 0L);
            head++;
        }
        return h;
    }
}
