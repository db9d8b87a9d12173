package hakmem.bench.subject;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.lang.foreign.MemorySegment;

/**
 * Netty 4.2's pooled allocator, direct buffers, with its thread caches: workload threads are
 * {@link FastThreadLocalThread}s, which is what Netty's event loops use and what turns the caches on.
 */
final class NettySubject extends Subject {
    private final PooledByteBufAllocator pool = new PooledByteBufAllocator(true);
    private final HandleTable<ByteBuf> table;

    NettySubject(int maxLive) {
        table = new HandleTable<>(maxLive);
    }

    @Override
    public String id() {
        return "netty";
    }

    @Override
    public String kind() {
        return "peer";
    }

    @Override
    public long malloc(long size) {
        int n = (int) size;
        ByteBuf b = pool.directBuffer(n, n);
        long address = b.hasMemoryAddress() ? b.memoryAddress()
                : MemorySegment.ofBuffer(b.internalNioBuffer(0, n)).address();
        return table.put(b, address);
    }

    @Override
    public void free(long handle) {
        table.take(handle).release();
    }

    @Override
    public long address(long handle) {
        return table.address(handle);
    }

    @Override
    public Thread newThread(Runnable body, String name) {
        Thread t = new FastThreadLocalThread(body, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public String detail() {
        ByteBuf probe = pool.directBuffer(16, 16);
        try {
            return "PooledByteBufAllocator(preferDirect) direct buffers on FastThreadLocalThread, "
                    + (probe.hasMemoryAddress() ? "addresses from memoryAddress()" : "addresses from nio buffers");
        } finally {
            probe.release();
        }
    }
}
