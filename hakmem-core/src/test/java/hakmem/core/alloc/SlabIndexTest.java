package hakmem.core.alloc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The one-multiply block index and start test of {@link Slab#magic}, for every offset of every size class. */
class SlabIndexTest {

    @Test
    void everyOffsetOfEveryClassGetsTheRightIndexOrIsRejected() {
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            Slab s = new Slab(this, 0, c, null);
            long d = s.blockSize;
            int wrong = 0;
            for (long off = 0; off < s.length; off++) {
                int expected = off % d == 0 && off / d < s.capacity ? (int) (off / d) : -1;
                if (s.indexOf(off) != expected) {
                    wrong++;
                }
                // the fast path's form: the index is in range (meta has capacity + 1 entries) for every offset
                long p = off * s.magic;
                int i = (int) (p >>> Slab.MAGIC_SHIFT);
                boolean start = (p & Slab.MAGIC_LOW) < s.magic;
                if (i > s.capacity || start != (off % d == 0) || (start && i != off / d)) {
                    wrong++;
                }
            }
            assertThat(wrong).as("class C%d (%d B): offsets answered wrongly", c, d).isZero();
            assertThat(s.indexOf(-1)).isEqualTo(-1);
            assertThat(s.indexOf(s.length)).isEqualTo(-1);
        }
    }
}
