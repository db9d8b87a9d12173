package hakmem.core.alloc;

import static org.assertj.core.api.Assertions.assertThat;

import hakmem.api.Allocator;
import hakmem.api.Hakmem;
import org.junit.jupiter.api.Test;

/** The page map: the hot span's one-load lookup and the two-level lookup elsewhere answer alike. */
class PageMapTest {

    /** Spans above the x86-64 user address space (bit 47 set): no real mapping is ever there. */
    private static final long SPAN_A = 0x9000L << 32;
    private static final long SPAN_B = 0x9001L << 32;
    private static final long UNIT = SizeClasses.SLAB_BYTES;

    @Test
    void blocksOfARealAllocatorAreFoundThroughTheHotSpan() {
        try (Allocator a = Hakmem.open("balanced")) {
            long p = a.malloc(64);
            Slab s = PageMap.get(p);
            assertThat(s).isNotNull();
            assertThat(p).isBetween(s.start, s.start + s.length - 1);
            // the first leaf ever created is the hot one; this JVM's slabs are in it unless the kernel spread them
            assertThat(PageMap.hotSpan()).isNotNegative();
            a.free(p);
        }
    }

    @Test
    void setGetAndForgetInSpansOutsideTheHotOne() {
        try (Allocator a = Hakmem.open("balanced")) {
            a.free(a.malloc(16)); // makes sure a real span is hot before the synthetic ones below exist
        }
        Slab x = new Slab(this, SPAN_A + 3 * UNIT, 1, null);
        Slab y = new Slab(this, SPAN_B, 2, null);
        try {
            PageMap.set(x.start, x.length, x);
            PageMap.set(y.start, y.length, y);
            assertThat(PageMap.hotSpan()).isNotIn(SPAN_A >>> 32, SPAN_B >>> 32);
            assertThat(PageMap.get(x.start)).isSameAs(x);
            assertThat(PageMap.get(x.start + x.length - 1)).isSameAs(x);
            assertThat(PageMap.get(x.start - 1)).isNull();
            assertThat(PageMap.get(x.start + x.length)).isNull();
            assertThat(PageMap.get(y.start + 12345)).isSameAs(y);
            assertThat(PageMap.get(SPAN_B - 1)).isNull(); // the last unit of span A
            assertThat(PageMap.get(1L << 48)).isNull(); // beyond what the table indexes
            assertThat(PageMap.get(-1L)).isNull();
        } finally {
            PageMap.forget(x.start, x.length);
            PageMap.forget(y.start, y.length);
        }
        assertThat(PageMap.get(x.start)).isNull();
        assertThat(PageMap.get(y.start)).isNull();
    }
}
