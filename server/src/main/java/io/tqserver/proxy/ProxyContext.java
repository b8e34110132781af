package io.tqserver.proxy;

import io.netty.channel.group.ChannelGroup;
import io.tqserver.config.RunMode;
import io.tqserver.config.ServerConfig;
import io.tqserver.routing.Router;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every client connection of one proxy shares: the routes, the worker connections, the
 * settings, and the count of requests in flight that a graceful stop waits for.
 */
final class ProxyContext {

    private final Router router;
    private final WorkerConnectionPool workerConnections;
    private final RunMode mode;
    private final ServerConfig.Server settings;
    private final ChannelGroup clientChannels;
    private final AtomicInteger activeExchanges = new AtomicInteger();
    private volatile boolean draining;

    ProxyContext(
            Router router, WorkerConnectionPool workerConnections, RunMode mode,
            ServerConfig.Server settings, ChannelGroup clientChannels) {
        this.router = router;
        this.workerConnections = workerConnections;
        this.mode = mode;
        this.settings = settings;
        this.clientChannels = clientChannels;
    }

    Router router() {
        return router;
    }

    WorkerConnectionPool workerConnections() {
        return workerConnections;
    }

    RunMode mode() {
        return mode;
    }

    ServerConfig.Server settings() {
        return settings;
    }

    ChannelGroup clientChannels() {
        return clientChannels;
    }

    AtomicInteger activeExchanges() {
        return activeExchanges;
    }

    /** Returns whether the proxy is stopping, so responses close their connections. */
    boolean draining() {
        return draining;
    }

    void startDraining() {
        draining = true;
    }
}
