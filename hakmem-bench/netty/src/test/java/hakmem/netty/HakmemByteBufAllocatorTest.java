package hakmem.netty;

import static org.assertj.core.api.Assertions.assertThat;

import hakmem.api.Hakmem;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HakmemByteBufAllocatorTest {

    private static long live(Counting a) {
        return a.live.size();
    }

    @Test
    void directBuffersAreHakmemBlocksAndEveryBlockIsFreedOnceAtRelease() throws Exception {
        try (Counting heap = new Counting(Hakmem.open("balanced"))) {
            HakmemByteBufAllocator alloc = new HakmemByteBufAllocator(heap);
            long before = live(heap);
            ByteBuf b = alloc.buffer(16);
            assertThat(b.isDirect()).isTrue();
            assertThat(b.readerIndex()).isZero();
            assertThat(b.writerIndex()).isZero();
            assertThat(live(heap)).isEqualTo(before + 1);
            for (int i = 0; i < 10_000; i++) { // grows several times: each new block replaces (and frees) the old one
                b.writeInt(i);
            }
            assertThat(b.capacity()).isGreaterThanOrEqualTo(40_000);
            assertThat(live(heap)).isEqualTo(before + 1);
            for (int i = 0; i < 10_000; i++) {
                assertThat(b.readInt()).isEqualTo(i);
            }
            b.capacity(100); // shrink: a new, smaller block
            assertThat(live(heap)).isEqualTo(before + 1);
            assertThat(b.release()).isTrue();
            assertThat(live(heap)).isEqualTo(before);

            ByteBuf empty = alloc.directBuffer(0);
            assertThat(empty.capacity()).isZero();
            empty.writeBytes("grown".getBytes(StandardCharsets.US_ASCII));
            assertThat(empty.toString(StandardCharsets.US_ASCII)).isEqualTo("grown");
            empty.release();
            assertThat(live(heap)).isEqualTo(before);

            CompositeByteBuf c = alloc.compositeDirectBuffer();
            c.addComponent(true, alloc.buffer(8).writeLong(7));
            c.addComponent(true, alloc.buffer(8).writeLong(9));
            assertThat(c.readLong()).isEqualTo(7);
            assertThat(c.readLong()).isEqualTo(9);
            c.release();
            assertThat(live(heap)).isEqualTo(before);

            ByteBuf onHeap = alloc.heapBuffer(32);
            assertThat(onHeap.hasArray()).isTrue();
            onHeap.release();
            assertThat(live(heap)).isEqualTo(before);
        }
    }

    @Test
    void aBufferMayBeReleasedOnAnotherThread() throws Exception {
        try (Counting heap = new Counting(Hakmem.open("lean"))) {
            HakmemByteBufAllocator alloc = new HakmemByteBufAllocator(heap);
            long before = live(heap);
            ByteBuf[] bufs = new ByteBuf[1000];
            for (int i = 0; i < bufs.length; i++) {
                bufs[i] = alloc.directBuffer(64 + i).writeInt(i);
            }
            Throwable[] err = new Throwable[1];
            Thread t = new Thread(() -> {
                try {
                for (int i = 0; i < bufs.length; i++) {
                    if (bufs[i].getInt(0) != i || !bufs[i].release()) {
                        throw new AssertionError("buffer " + i);
                    }
                }
                } catch (Throwable e) {
                    err[0] = e;
                }
            });
            t.start();
            t.join();
            assertThat(err[0]).isNull();
            assertThat(live(heap)).isEqualTo(before);
            assertThat(alloc.isDirectBufferPooled()).isFalse();
            assertThat(alloc.allocator()).isSameAs(heap);
        }
    }
}
