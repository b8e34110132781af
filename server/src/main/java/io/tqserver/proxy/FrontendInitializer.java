package io.tqserver.proxy;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.tqserver.config.ServerConfig;
import java.util.concurrent.TimeUnit;

/**
 * Sets up a client connection: HTTP/1.1 codec, flow control so that pipelined requests wait
 * their turn, timeouts, and the {@link FrontendHandler}.
 */
final class FrontendInitializer extends ChannelInitializer<SocketChannel> {

    static final int MAX_INITIAL_LINE_BYTES = 8 * 1024;
    static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final int MAX_CHUNK_BYTES = 64 * 1024;

    private final ProxyContext proxy;

    FrontendInitializer(ProxyContext proxy) {
        this.proxy = proxy;
    }

    @Override
    protected void initChannel(SocketChannel client) {
        ServerConfig.Server settings = proxy.settings();
        proxy.clientChannels().add(client);
        client.pipeline().addLast(
                new IdleStateHandler(
                        settings.readTimeout().toMillis(), settings.writeTimeout().toMillis(),
                        settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS),
                new HttpServerCodec(MAX_INITIAL_LINE_BYTES, MAX_HEADER_BYTES, MAX_CHUNK_BYTES),
                new FlowControlHandler(),
                new FrontendHandler(proxy));
    }
}
