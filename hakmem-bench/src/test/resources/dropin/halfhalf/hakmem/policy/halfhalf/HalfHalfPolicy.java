package hakmem.policy.halfhalf;

import com.google.inject.Inject;
import hakmem.api.spi.Advice;
import hakmem.api.spi.EmptySlab;
import hakmem.api.spi.OptionValues;
import hakmem.api.spi.ReleaseHandle;
import hakmem.api.spi.ReleasePolicy;
import hakmem.api.spi.SizeClass;

/**
 * Keeps half: each time a slab of a class empties, the class's empty committed memory is cut to half (whole
 * slabs, at least one kept), longest-empty first. A ping-pong at one slab boundary keeps its one slab and makes no
 * system call; after a burst, every further empty slab halves what is left.
 */
final class HalfHalfPolicy implements ReleasePolicy {

    static final String ADVICE = "halfhalf.advice";
    static final String COUNTER = "halfhalf_decommits";

    private final Advice advice;

    @Inject
    HalfHalfPolicy(OptionValues options) {
        this.advice = Advice.valueOf(options.choice(ADVICE));
    }

    @Override
    public void onSlabEmpty(EmptySlab slab, boolean superSlabEmpty, ReleaseHandle handle) {
        SizeClass c = slab.sizeClass();
        long keep = handle.emptyCommittedBytes(c) / 2 / c.slabBytes() * c.slabBytes();
        long bytes = handle.decommitEmpty(c, Math.max(keep, c.slabBytes()), 0, advice);
        if (bytes > 0) {
            handle.count(COUNTER, bytes / c.slabBytes());
        }
    }
}
