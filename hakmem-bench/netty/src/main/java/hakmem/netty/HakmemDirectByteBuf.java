package hakmem.netty;

import hakmem.api.Allocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.util.internal.CleanableDirectBuffer;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * A direct buffer over one hakmem block. Netty's {@link UnpooledDirectByteBuf} does the buffer work; this class only
 * says where its memory comes from and where it goes: a new capacity is a new block (the contents copied by Netty),
 * the old block freed; {@link #deallocate()} frees the last one.
 */
final class HakmemDirectByteBuf extends UnpooledDirectByteBuf {
    private final Allocator allocator;
    /**
     * The address of the block the buffer was made with, until freed (0 after): Netty's wrapping constructor does
     * not free the buffer it wraps, so this class does.
     */
    private long initial;

    HakmemDirectByteBuf(ByteBufAllocator alloc, Allocator allocator, int initialCapacity, int maxCapacity) {
        super(alloc, block(allocator, initialCapacity), maxCapacity);
        this.allocator = allocator;
        this.initial = MemorySegment.ofBuffer(internalNioBuffer(0, 0)).address();
        clear(); // the wrapping constructor takes the buffer as written: a new buffer is empty
    }

    private static ByteBuffer block(Allocator allocator, int capacity) {
        ByteBuffer b = allocator.allocate(Math.max(1, capacity), 16).asByteBuffer();
        return capacity == 0 ? b.limit(0) : b;
    }

    // Deprecated in Netty 4.2 in favour of allocateDirectBuffer (below), but still what a wrapped buffer is freed and
    // reallocated through: both paths lead to the same hakmem calls.
    @Override
    @SuppressWarnings("deprecation")
    protected ByteBuffer allocateDirect(int initialCapacity) {
        return block(allocator, initialCapacity);
    }

    @Override
    @SuppressWarnings("deprecation")
    protected void freeDirect(ByteBuffer buffer) {
        free(MemorySegment.ofBuffer(buffer.duplicate().clear()).address());
    }

    private void free(long address) {
        if (address == initial) {
            initial = 0;
        }
        allocator.free(address);
    }

    @Override
    protected CleanableDirectBuffer allocateDirectBuffer(int capacity) {
        ByteBuffer b = allocateDirect(capacity);
        return new CleanableDirectBuffer() {
            @Override
            public ByteBuffer buffer() {
                return b;
            }

            @Override
            public void clean() {
                freeDirect(b);
            }
        };
    }

    @Override
    public ByteBuf capacity(int newCapacity) {
        long before = initial;
        int old = capacity();
        ByteBuf r = super.capacity(newCapacity);
        if (before != 0 && initial == before && newCapacity != old) { // Netty replaced it without freeing it
            free(before);
        }
        return r;
    }

    @Override
    protected void deallocate() {
        long before = initial;
        super.deallocate();
        if (before != 0 && initial == before) {
            free(before);
        }
    }
}
