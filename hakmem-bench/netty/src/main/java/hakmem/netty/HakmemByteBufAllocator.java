package hakmem.netty;

import hakmem.api.Allocator;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.util.Objects;

/**
 * A Netty {@link io.netty.buffer.ByteBufAllocator} whose direct buffers live in memory of a hakmem-j {@link Allocator}:
 * each direct buffer is one hakmem block, allocated when the buffer is made or grows and freed when its reference
 * count reaches zero ({@code release()}). Heap buffers are Netty's plain unpooled heap buffers.
 *
 * <pre>{@code
 * Allocator heap = Hakmem.open("balanced");                    // or Hakmem.open(): the configured policy
 * ByteBufAllocator alloc = new HakmemByteBufAllocator(heap);
 * bootstrap.option(ChannelOption.ALLOCATOR, alloc)              // a ServerBootstrap: the parent channel
 *          .childOption(ChannelOption.ALLOCATOR, alloc);        // and every accepted connection
 * ...
 * heap.close();                                                 // after the event loops shut down
 * }</pre>
 *
 * hakmem's per-thread heaps take the place of Netty's pool and thread caches, and its release policy decides when
 * freed memory goes back to the OS. Buffers must be released before the allocator is closed (a buffer used after
 * close throws {@link IllegalStateException}, as any closed FFM segment). Thread-safe: a buffer may be released on
 * any thread. Direct buffers are aligned to 16 bytes; {@link #isDirectBufferPooled()} is false (Netty does no pooling
 * on top).
 */
public final class HakmemByteBufAllocator extends AbstractByteBufAllocator {
    private final Allocator allocator;

    /** Direct buffers by default ({@code preferDirect}), from {@code allocator}. */
    public HakmemByteBufAllocator(Allocator allocator) {
        super(true);
        this.allocator = Objects.requireNonNull(allocator, "allocator");
    }

    /** The hakmem allocator the direct buffers come from. */
    public Allocator allocator() {
        return allocator;
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return new HakmemDirectByteBuf(this, allocator, initialCapacity, maxCapacity);
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }
}
