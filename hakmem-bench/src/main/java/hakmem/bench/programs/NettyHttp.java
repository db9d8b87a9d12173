package hakmem.bench.programs;

import hakmem.api.Allocator;
import hakmem.netty.HakmemByteBufAllocator;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContentCompressor;
import io.netty.handler.codec.http.HttpContentDecompressor;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Netty 4.2 HTTP/1.1 server on loopback (one acceptor, two I/O threads, request aggregation, gzip responses)
 * driven by a Netty HTTP client (four keep-alive connections on their own event loop, a thread each sending one
 * request at a time). Server and client take every buffer from {@link HakmemByteBufAllocator}. The load comes in
 * bursts (one second of requests as fast as they are answered) separated by idle seconds, with request bodies of
 * 0..16 KiB and responses of 64 B..256 KiB (a few large ones): the bursts and idle gaps a release policy is judged on.
 */
final class NettyHttp implements Program {
    private static final int CONNECTIONS = 4;

    @Override
    public String id() {
        return "netty-http";
    }

    @Override
    public String description() {
        return "Netty HTTP/1.1 server and client on loopback, buffers from hakmem (HakmemByteBufAllocator), load in bursts with idle gaps";
    }

    @Override
    public String run(Allocator heap, int seconds, long seed) throws Exception {
        ByteBufAllocator alloc = new HakmemByteBufAllocator(heap);
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        EventLoopGroup clients = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        AtomicLong served = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        try {
            Channel server = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                    .option(ChannelOption.ALLOCATOR, alloc).childOption(ChannelOption.ALLOCATOR, alloc)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20),
                                    new HttpContentCompressor(), new Handler(served));
                        }
                    }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            Thread[] senders = new Thread[CONNECTIONS];
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            for (int c = 0; c < CONNECTIONS; c++) {
                long s = seed + c;
                senders[c] = new Thread(() -> send(alloc, clients, port, end, new SplittableRandom(s), bytes), "http-client-" + c);
                senders[c].start();
            }
            for (Thread t : senders) {
                t.join();
            }
            server.close().sync();
        } finally {
            clients.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
            workers.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
            boss.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        }
        return served.get() + " requests served, " + bytes.get() + " response bytes received";
    }

    /** One connection: bursts of one second, then one second idle, until {@code end}. */
    private static void send(ByteBufAllocator alloc, EventLoopGroup group, int port, long end, SplittableRandom rnd, AtomicLong bytes) {
        BlockingQueue<FullHttpResponse> responses = new ArrayBlockingQueue<>(1);
        try {
            Channel ch = new Bootstrap().group(group).channel(NioSocketChannel.class).option(ChannelOption.ALLOCATOR, alloc)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            c.pipeline().addLast(new HttpClientCodec(), new HttpContentDecompressor(0),
                                    new HttpObjectAggregator(1 << 20), new SimpleChannelInboundHandler<FullHttpResponse>() {
                                        @Override
                                        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse r) {
                                            responses.add(r.retain());
                                        }
                                    });
                        }
                    }).connect("127.0.0.1", port).sync().channel();
            boolean burst = true;
            long phaseEnd = System.nanoTime() + 1_000_000_000L;
            while (System.nanoTime() < end) {
                if (System.nanoTime() >= phaseEnd) {
                    burst = !burst;
                    phaseEnd = System.nanoTime() + 1_000_000_000L;
                }
                if (!burst) {
                    Thread.sleep(20);
                    continue;
                }
                int body = rnd.nextInt(100) < 70 ? rnd.nextInt(512) : rnd.nextInt(16 << 10);
                int want = rnd.nextInt(100) < 95 ? 64 + rnd.nextInt(8 << 10) : 64 + rnd.nextInt(256 << 10);
                ByteBuf content = alloc.buffer(body);
                for (int i = 0; i < body; i++) {
                    content.writeByte('a' + (i % 26));
                }
                FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/echo?size=" + want, content);
                req.headers().set(HttpHeaderNames.HOST, "127.0.0.1").set(HttpHeaderNames.CONTENT_LENGTH, body)
                        .set(HttpHeaderNames.ACCEPT_ENCODING, HttpHeaderValues.GZIP);
                ch.writeAndFlush(req);
                FullHttpResponse r = responses.poll(10, TimeUnit.SECONDS);
                if (r == null) {
                    throw new IllegalStateException("no response within 10 s");
                }
                try {
                    if (r.content().readableBytes() != want) {
                        throw new IllegalStateException("response of " + r.content().readableBytes() + " bytes, wanted " + want);
                    }
                    bytes.addAndGet(want);
                } finally {
                    r.release();
                }
            }
            ch.close().sync();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Answers {@code /echo?size=N} with N bytes of text (compressible, gzip if asked) after reading the request body. */
    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final AtomicLong served;

        Handler(AtomicLong served) {
            this.served = served;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            String uri = req.uri();
            int size = Integer.parseInt(uri.substring(uri.indexOf("size=") + 5));
            long sum = 0;
            ByteBuf in = req.content();
            for (int i = in.readerIndex(); i < in.writerIndex(); i++) {
                sum += in.getByte(i);
            }
            ByteBuf out = ctx.alloc().buffer(size);
            for (int i = 0; i < size; i++) {
                out.writeByte((int) ('A' + ((i + sum) % 26)));
            }
            FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, out);
            resp.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain").set(HttpHeaderNames.CONTENT_LENGTH, size);
            ctx.writeAndFlush(resp);
            served.incrementAndGet();
        }
    }
}
