package io.tqserver.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.tqserver.config.RunMode;
import io.tqserver.config.ServerConfig;
import io.tqserver.routing.Router;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The front proxy: accepts client connections on the server port and relays each request to
 * the worker instance its route points at. It reads routes from a {@link Router} and never
 * calls the supervisor.
 */
public final class ProxyServer {

    private static final Logger log = LoggerFactory.getLogger(ProxyServer.class);
    private static final WriteBufferWaterMark WATER_MARK =
            new WriteBufferWaterMark(64 * 1024, 256 * 1024);

    private final ServerConfig.Server settings;
    private final Transport transport = Transport.best();
    private final EventLoopGroup group;
    private final ChannelGroup clientChannels =
            new DefaultChannelGroup("clients", GlobalEventExecutor.INSTANCE);
    private final ProxyContext proxy;
    private Channel serverChannel;

    public ProxyServer(ServerConfig.Server settings, RunMode mode, Router router) {
        this.settings = settings;
        this.group = transport.newEventLoopGroup(0);
        WorkerConnectionPool workerConnections =
                new WorkerConnectionPool(group, transport, settings.limits().connectTimeout());
        this.proxy = new ProxyContext(router, workerConnections,
                new FastCgiPools(transport, settings.idleTimeout()), mode, settings,
                clientChannels);
    }

    /**
     * Binds the server port on all interfaces.
     *
     * @throws java.io.IOException when the port cannot be bound, for example because it is taken
     */
    public void start() throws java.io.IOException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannelType())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // A client that shuts its output after the request still gets the response.
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childHandler(new FrontendInitializer(proxy));
        try {
            serverChannel = bootstrap.bind(settings.port()).sync().channel();
        } catch (Exception e) {
            throw new java.io.IOException(
                    "cannot listen on port " + settings.port() + ": " + e.getMessage(), e);
        }
        log.info("proxy listening port={} transport={}", port(), transport);
    }

    /**
     * Applies reloaded settings to connections accepted from now on: the read, write and idle
     * timeouts. A new port needs a restart, since the listening socket stays bound.
     */
    public void updateSettings(ServerConfig.Server newSettings) {
        proxy.settings(newSettings);
    }

    /** Sends one record per finished request to {@code sink}; {@link AccessLogSink#NONE} stops. */
    public void accessLog(AccessLogSink sink) {
        proxy.accessLog(sink);
    }

    /** Returns the port the proxy listens on. */
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /**
     * Stops the proxy gracefully: stops accepting, closes idle connections, lets requests in
     * flight finish for up to {@code timeout}, then closes every connection.
     */
    public void stop(Duration timeout) {
        proxy.startDraining();
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly();
        }
        clientChannels.forEach(client -> client.pipeline().fireUserEventTriggered(
                FrontendHandler.DRAIN));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (proxy.activeExchanges().get() > 0 && System.nanoTime() < deadline) {
            sleepQuietly(10);
        }
        int abandoned = proxy.activeExchanges().get();
        if (abandoned > 0) {
            log.warn("proxy stopping with requests in flight count={}", abandoned);
        }
        // NOTE: on epoll, a client that pipelined 1 MiB responses and reads them slowly got
        // the response in flight cut short (818 to 952 KB of it) when the daemon stopped. Waiting
        // for queued bytes or lingering before this close did not help. On io_uring the same
        // test ended on a response boundary.
        clientChannels.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
        log.info("proxy stopped");
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
