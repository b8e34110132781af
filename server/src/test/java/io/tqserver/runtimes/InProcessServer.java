package io.tqserver.runtimes;

import io.tqserver.config.RunMode;
import io.tqserver.config.ServerConfig;
import io.tqserver.config.ServerConfigLoader;
import io.tqserver.proxy.ProxyServer;
import io.tqserver.routing.Router;
import io.tqserver.supervisor.Supervisor;
import io.tqserver.supervisor.SwapResult;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The proxy and the supervisor of TQServer in the test's JVM, so that a test can call
 * {@link Supervisor#swap}, with workers running as real processes.
 */
final class InProcessServer implements AutoCloseable {

    private final ProxyServer proxy;
    private final Supervisor supervisor;

    private InProcessServer(ProxyServer proxy, Supervisor supervisor) {
        this.proxy = proxy;
        this.supervisor = supervisor;
    }

    /** Starts the proxy, then the supervisor, and returns once every worker is ready. */
    static InProcessServer start(TestLayout layout) throws Exception {
        ServerConfig config = ServerConfigLoader.load(layout.serverConfig());
        Router router = new Router();
        ProxyServer proxy = new ProxyServer(config.server(), RunMode.DEV, router);
        proxy.start();
        Supervisor supervisor = new Supervisor(config, RunMode.DEV, router, Clock.systemUTC());
        supervisor.start();
        return new InProcessServer(proxy, supervisor);
    }

    /** Builds {@code worker} again and swaps in a new instance; waits at most 60 s. */
    SwapResult swap(String worker) throws Exception {
        return supervisor.swap(worker).get(60, TimeUnit.SECONDS);
    }

    int port() {
        return proxy.port();
    }

    @Override
    public void close() {
        proxy.stop(Duration.ofSeconds(1));
        supervisor.stop();
    }
}
