package io.tqserver.cli;

import io.tqserver.config.ConfigException;
import io.tqserver.config.RunMode;
import io.tqserver.config.ServerConfig;
import io.tqserver.config.ServerConfigLoader;
import io.tqserver.logging.ServerLogging;
import io.tqserver.proxy.ProxyServer;
import io.tqserver.routing.Router;
import io.tqserver.supervisor.Supervisor;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Wires the daemon together at start-up: configuration, logging, the supervisor and the proxy,
 * and the signals that stop them. The proxy starts first, so a taken port fails fast before any
 * worker is built.
 */
final class Daemon {

    private static final Logger log = LoggerFactory.getLogger(Daemon.class);

    private final RunMode mode;
    private final Path configFile;
    private final boolean quiet;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final AtomicBoolean stopped = new AtomicBoolean();

    Daemon(RunMode mode, Path configFile, boolean quiet) {
        this.mode = mode;
        this.configFile = configFile;
        this.quiet = quiet;
    }

    /** Runs until SIGTERM or SIGINT and returns the exit status. */
    int run() {
        ServerLogging.configure(null, quiet);
        ServerConfig config;
        try {
            config = ServerConfigLoader.load(configFile);
        } catch (ConfigException e) {
            System.err.println("tqserver: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        ServerLogging.configure(config.server().logFile(), quiet);
        log.info("tqserver starting mode={} config={} pid={}", mode, configFile.toAbsolutePath(),
                ProcessHandle.current().pid());
        Router router = new Router();
        ProxyServer proxy = new ProxyServer(config.server(), mode, router);
        Supervisor supervisor = new Supervisor(config, mode, router, Clock.systemUTC());
        try {
            proxy.start();
        } catch (IOException e) {
            log.error("tqserver failed to start: {}", e.getMessage());
            System.err.println("tqserver: " + e.getMessage());
            proxy.stop(java.time.Duration.ZERO);
            return ExitCodes.RUNTIME_FAILURE;
        }
        handleStopSignals();
        Runtime.getRuntime().addShutdownHook(new Thread(
                () -> stop(proxy, supervisor, config), "tqserver-shutdown"));
        supervisor.start();
        log.info("tqserver ready port={}", proxy.port());
        awaitStopRequest();
        stop(proxy, supervisor, config);
        return ExitCodes.OK;
    }

    private void handleStopSignals() {
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> {
                log.info("tqserver stopping signal=SIG{}", signal.getName());
                stopRequested.countDown();
            });
        }
    }

    private void awaitStopRequest() {
        try {
            stopRequested.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops the proxy after its requests in flight, then the workers; runs once, whether called
     * after a signal or from the shutdown hook.
     */
    private void stop(ProxyServer proxy, Supervisor supervisor, ServerConfig config) {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        proxy.stop(config.server().writeTimeout());
        supervisor.stop();
        log.info("tqserver stopped");
        ServerLogging.shutdown();
    }
}
