package hakmem.policy.lean;

import hakmem.api.spi.Advice;

/** The values of {@code ss.mem.lean.decommit}. */
enum Decommit {
    /** {@code MADV_FREE}: cheap, but the pages count as resident until the kernel is short of memory. */
    FREE(Advice.FREE),
    /** {@code MADV_DONTNEED}: resident memory falls at once. */
    DONTNEED(Advice.DONTNEED),
    /** Keep everything: no decommit and no retire. */
    OFF(null);

    private final Advice advice;

    Decommit(Advice advice) {
        this.advice = advice;
    }

    /** The madvise flavour; null for {@link #OFF}. */
    Advice advice() {
        return advice;
    }
}
