/**
 * A Netty {@code ByteBufAllocator} whose direct buffers are served by hakmem-j: {@link hakmem.netty.HakmemByteBufAllocator}.
 * Needs only the hakmem API (the implementation is found on the module path, as for any hakmem user).
 */
module hakmem.netty {
    requires transitive hakmem.api;
    requires transitive io.netty.buffer;
    requires io.netty.common;

    exports hakmem.netty;
}
