package io.tqserver.proxy;

import io.tqserver.config.RunMode;
import io.tqserver.config.ServerConfig;
import io.tqserver.routing.Route;
import io.tqserver.routing.Router;
import io.tqserver.routing.WorkerInstance;
import java.io.IOException;
import java.time.Duration;

/** A {@link ProxyServer} on an ephemeral port with a router that tests fill route by route. */
final class RunningProxy implements AutoCloseable {

    /** How long a test worker may take to start its response before the proxy sends 504. */
    static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(2);

    private final Router router = new Router();
    private final ProxyServer server;

    private RunningProxy(RunMode mode, ServerConfig.Server settings) {
        server = new ProxyServer(settings, mode, router);
    }

    static RunningProxy start() throws IOException {
        return start(RunMode.DEV);
    }

    static RunningProxy start(RunMode mode) throws IOException {
        return start(mode, ServerConfig.ProxyLimits.DEFAULTS);
    }

    /** Starts a proxy in prod mode with {@code limits}. */
    static RunningProxy start(ServerConfig.ProxyLimits limits) throws IOException {
        return start(RunMode.PROD, limits);
    }

    static RunningProxy start(RunMode mode, ServerConfig.ProxyLimits limits) throws IOException {
        return start(mode, Duration.ofSeconds(5), limits);
    }

    /** Starts a proxy in prod mode whose clients get {@code readTimeout} to send a request. */
    static RunningProxy startWithReadTimeout(Duration readTimeout) throws IOException {
        return start(RunMode.PROD, readTimeout, ServerConfig.ProxyLimits.DEFAULTS);
    }

    /** Starts a proxy in prod mode with the given client read, write and idle timeouts. */
    static RunningProxy startWithClientTimeouts(
            Duration readTimeout, Duration writeTimeout, Duration idleTimeout)
            throws IOException {
        return start(RunMode.PROD, new ServerConfig.Server(0, readTimeout, writeTimeout,
                idleTimeout, null, ServerConfig.ProxyLimits.DEFAULTS));
    }

    private static RunningProxy start(
            RunMode mode, Duration readTimeout, ServerConfig.ProxyLimits limits)
            throws IOException {
        return start(mode, new ServerConfig.Server(
                0, readTimeout, Duration.ofSeconds(5), Duration.ofSeconds(30), null, limits));
    }

    private static RunningProxy start(RunMode mode, ServerConfig.Server settings)
            throws IOException {
        RunningProxy proxy = new RunningProxy(mode, settings);
        proxy.server.start();
        return proxy;
    }

    /** Returns the default limits with every timeout set to {@code timeout}. */
    static ServerConfig.ProxyLimits limitsWithTimeouts(Duration timeout) {
        ServerConfig.ProxyLimits defaults = ServerConfig.ProxyLimits.DEFAULTS;
        return new ServerConfig.ProxyLimits(defaults.maxRequestTargetBytes(),
                defaults.maxHeaderBytes(), timeout, timeout, timeout, timeout, timeout);
    }

    int port() {
        return server.port();
    }

    /** Routes {@code prefix} to a READY instance listening on {@code workerPort}. */
    WorkerInstance route(String prefix, int workerPort) {
        WorkerInstance instance = new WorkerInstance(workerName(prefix), workerPort);
        instance.markReady();
        addRoute(new Route(prefix, workerName(prefix), instance, RESPONSE_TIMEOUT, null));
        return instance;
    }

    /** Routes {@code prefix} to a worker that has no instance yet. */
    void routeWithoutInstance(String prefix) {
        addRoute(new Route(prefix, workerName(prefix), null, RESPONSE_TIMEOUT, null));
    }

    void addRoute(Route route) {
        router.update(table -> table.with(route));
    }

    ClientConnection connect() throws IOException {
        return ClientConnection.open(port());
    }

    private static String workerName(String prefix) {
        return prefix.equals("/") ? "root" : prefix.substring(1).replace('/', '-');
    }

    @Override
    public void close() {
        server.stop(Duration.ZERO);
    }
}
