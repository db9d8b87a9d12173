package hakmem.api.spi;

/**
 * An empty slab in its class pool, as seen when the snapshot was taken.
 *
 * @param sizeClass       its class
 * @param address         its first byte
 * @param bytes           its length
 * @param emptySinceNanos when it became empty ({@link ReleaseHandle#nanoTime()} clock)
 * @param committed       false if it was decommitted since it last held data
 */
public record EmptySlab(SizeClass sizeClass, long address, long bytes, long emptySinceNanos, boolean committed) {
}
