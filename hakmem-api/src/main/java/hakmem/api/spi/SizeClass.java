package hakmem.api.spi;

/**
 * A size class served from superslabs.
 *
 * @param index     0-based; C0..C7 are the tiny classes 8 B .. 1 KiB
 * @param blockSize bytes per block
 * @param slabBytes bytes per slab (a superslab holds {@code superSlabBytes / slabBytes} slabs)
 * @param superSlabBytes bytes per superslab
 */
public record SizeClass(int index, long blockSize, long slabBytes, long superSlabBytes) {

    /** The class's name as in hakmem: {@code C0}, {@code C1}, ... */
    public String name() {
        return "C" + index;
    }
}
