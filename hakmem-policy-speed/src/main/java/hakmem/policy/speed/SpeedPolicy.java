package hakmem.policy.speed;

import com.google.inject.Inject;
import hakmem.api.spi.EmptySlab;
import hakmem.api.spi.ReleaseHandle;
import hakmem.api.spi.ReleasePolicy;
import hakmem.api.spi.SizeClass;

/**
 * hakmem's FAST mode. Prewarming the tiny classes moves their first mmap and page faults to open; keeping
 * every empty slab committed means a slab that empties and refills costs no system call at all. The price is
 * resident memory: whatever a burst touched stays resident until {@link hakmem.api.Allocator#close()}.
 */
final class SpeedPolicy implements ReleasePolicy {

    /** C0..C7 (8 B .. 1 KiB) are the classes hakmem's FAST mode prewarms. */
    static final int TINY_CLASSES = 8;

    private final int prewarm;

    @Inject
    SpeedPolicy(SpeedConfig config) {
        this.prewarm = config.prewarmSuperSlabs();
    }

    @Override
    public int prewarmSuperSlabs(SizeClass sizeClass) {
        return sizeClass.index() < TINY_CLASSES ? prewarm : 0;
    }

    @Override
    public void onSlabEmpty(EmptySlab slab, boolean superSlabEmpty, ReleaseHandle handle) {
        // Keep it: the next refill of this class reuses it without a fault or a system call.
    }

    /** Keep every freed large mapping for reuse, as every empty slab: no munmap, no page fault on reuse. */
    @Override
    public long largeCacheBytes() {
        return Long.MAX_VALUE;
    }
}
