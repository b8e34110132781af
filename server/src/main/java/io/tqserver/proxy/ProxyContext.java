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
    private final FastCgiPools fastCgiPools;
    private final RunMode mode;
    private volatile ServerConfig.Server settings;
    private volatile AccessLogSink accessLog = AccessLogSink.NONE;
    private final ChannelGroup clientChannels;
    private final AtomicInteger activeExchanges = new AtomicInteger();
    private final LiveReloadEvents liveReload;
    private volatile boolean draining;

    ProxyContext(
            Router router, WorkerConnectionPool workerConnections, FastCgiPools fastCgiPools,
            RunMode mode, ServerConfig.Server settings, ChannelGroup clientChannels) {
        this.router = router;
        this.workerConnections = workerConnections;
        this.fastCgiPools = fastCgiPools;
        this.mode = mode;
        this.settings = settings;
        this.clientChannels = clientChannels;
        this.liveReload = mode == RunMode.DEV ? LiveReloadEvents.listenTo(router) : null;
    }

    Router router() {
        return router;
    }

    WorkerConnectionPool workerConnections() {
        return workerConnections;
    }

    FastCgiPools fastCgiPools() {
        return fastCgiPools;
    }

    RunMode mode() {
        return mode;
    }

    /** Returns the current settings; connections read them when they are set up. */
    ServerConfig.Server settings() {
        return settings;
    }

    void settings(ServerConfig.Server newSettings) {
        settings = newSettings;
    }

    AccessLogSink accessLog() {
        return accessLog;
    }

    void accessLog(AccessLogSink sink) {
        accessLog = sink;
    }

    ChannelGroup clientChannels() {
        return clientChannels;
    }

    /** Returns the live-reload event streams in development mode, or null in production. */
    LiveReloadEvents liveReload() {
        return liveReload;
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
