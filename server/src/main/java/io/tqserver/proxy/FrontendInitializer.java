package io.tqserver.proxy;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.tqserver.config.ServerConfig;
import java.util.concurrent.TimeUnit;

/**
 * Sets up a client connection: the request head deadline, timeouts, the HTTP/1.1 codec, flow
 * control so that pipelined requests wait their turn, in development mode the live-reload
 * handlers, and the {@link FrontendHandler}.
 */
final class FrontendInitializer extends ChannelInitializer<SocketChannel> {

    /** Room on the request line for the method, the version and the spaces between them. */
    private static final int REQUEST_LINE_OVERHEAD_BYTES = 64;
    private static final int MAX_CHUNK_BYTES = 64 * 1024;
    /**
     * Requests the HTTP codec may decode ahead of their responses on one connection. Netty
     * 4.2's default, 128, made the codec close the connection after the current response when
     * a client pipelined more, dropping the requests it had already decoded. Each queued request
     * is a decoded head of at most {@code server.max_header_bytes} plus a small object, and the
     * codec decodes only what one socket read brings in.
     */
    private static final int MAX_PIPELINE_DEPTH = 1024;

    private final ProxyContext proxy;

    FrontendInitializer(ProxyContext proxy) {
        this.proxy = proxy;
    }

    @Override
    protected void initChannel(SocketChannel client) {
        ServerConfig.Server settings = proxy.settings();
        ServerConfig.ProxyLimits limits = settings.limits();
        proxy.clientChannels().add(client);
        HttpDecoderConfig decoding = new HttpDecoderConfig()
                .setMaxInitialLineLength(
                        limits.maxRequestTargetBytes() + REQUEST_LINE_OVERHEAD_BYTES)
                .setMaxHeaderSize(limits.maxHeaderBytes())
                .setMaxChunkSize(MAX_CHUNK_BYTES);
        RequestHeadDeadline headDeadline = new RequestHeadDeadline(limits.headerTimeout());
        client.pipeline().addLast(
                headDeadline.byteWatcher(),
                new IdleStateHandler(
                        settings.readTimeout().toMillis(), settings.writeTimeout().toMillis(),
                        settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS),
                new HttpServerCodec(decoding, MAX_PIPELINE_DEPTH),
                headDeadline.headWatcher(),
                new FlowControlHandler());
        if (proxy.liveReload() != null) {
            client.pipeline().addLast(new LiveReloadInjector(),
                    new LiveReloadEventsHandler(proxy.liveReload()));
        }
        client.pipeline().addLast(new FrontendHandler(proxy, headDeadline));
    }
}
