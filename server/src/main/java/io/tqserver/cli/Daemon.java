package io.tqserver.cli;

import io.tqserver.autoreload.FileReloader;
import io.tqserver.config.ConfigException;
import io.tqserver.config.RunMode;
import io.tqserver.config.ServerConfig;
import io.tqserver.config.ServerConfigLoader;
import io.tqserver.control.ControlServer;
import io.tqserver.logging.ServerLogging;
import io.tqserver.proxy.ProxyServer;
import io.tqserver.reload.AccessLog;
import io.tqserver.reload.ConfigReloader;
import io.tqserver.routing.Router;
import io.tqserver.supervisor.ProcessRecords;
import io.tqserver.supervisor.Supervisor;
import io.tqserver.systemd.SystemdNotifier;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Wires the daemon together at start-up: configuration, logging, the supervisor and the proxy,
 * and the signals that reload and stop them. The proxy starts first, so a taken port fails fast
 * before any worker is built.
 *
 * <p>The daemon keeps its pid file and one record per worker process in {@code run/} under the
 * working directory. At start it stops the worker processes that a killed TQServer left there.
 */
final class Daemon {

    private static final Logger log = LoggerFactory.getLogger(Daemon.class);

    /** Folder of the pid file and the worker process records, under the working directory. */
    static final Path RUN_FOLDER = Path.of("run");

    private final RunMode mode;
    private final Path configFile;
    private final boolean quiet;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final SystemdNotifier systemd = SystemdNotifier.fromEnvironment();

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
        // Checked before the log file opens, so a refused start writes nothing into the log
        // of the daemon that already runs here.
        PidFile pidFile = new PidFile(RUN_FOLDER.resolve("tqserver.pid"));
        Optional<Long> other = pidFile.runningOther();
        if (other.isPresent()) {
            return fail("another tqserver runs in this folder with pid " + other.get()
                    + "; stop it first");
        }
        ServerLogging.configure(config.server().logFile(), config.server().logMaxHistory(), quiet);
        log.info("tqserver starting mode={} config={} pid={}", mode, configFile.toAbsolutePath(),
                ProcessHandle.current().pid());
        pidFile.write();
        ProcessRecords processes = new ProcessRecords(RUN_FOLDER.resolve("workers"));
        int leftovers = processes.stopLeftovers(config.workers().shutdownGracePeriod());
        if (leftovers > 0) {
            log.info("tqserver stopped workers left by an earlier tqserver count={}", leftovers);
        }

        Router router = new Router();
        ProxyServer proxy = new ProxyServer(config.server(), mode, router);
        Supervisor supervisor =
                new Supervisor(config, mode, router, Clock.systemUTC(), processes);
        try {
            proxy.start();
        } catch (IOException e) {
            proxy.stop(Duration.ZERO);
            pidFile.delete();
            return fail(e.getMessage());
        }
        AccessLog accessLog = new AccessLog(proxy);
        accessLog.change(config.server().accessLog(), config.server().logMaxHistory());
        ConfigReloader reloader =
                new ConfigReloader(configFile, config, proxy, supervisor, accessLog);
        Running running = new Running(proxy, supervisor, reloader, accessLog, pidFile);
        handleSignals(reloader);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(running), "tqserver-shutdown"));
        running.control = startControl(config, supervisor, reloader);
        supervisor.start();
        FileReloader fileReloader = startFileReloader(supervisor, reloader);
        log.info("tqserver ready port={}", proxy.port());
        systemd.ready("serving on port " + proxy.port());
        awaitStopRequest();
        if (fileReloader != null) {
            fileReloader.close();
        }
        stop(running);
        return ExitCodes.OK;
    }

    private int fail(String message) {
        log.error("tqserver failed to start: {}", message);
        System.err.println("tqserver: " + message);
        ServerLogging.shutdown();
        return ExitCodes.RUNTIME_FAILURE;
    }

    private static ControlServer startControl(
            ServerConfig config, Supervisor supervisor, ConfigReloader reloader) {
        int port = config.server().controlPort();
        if (port == 0) {
            return null;
        }
        try {
            return ControlServer.start(port, supervisor, reloader);
        } catch (IOException e) {
            log.error("control endpoint not started port={}: {}; deploy.sh cannot reach this"
                    + " tqserver", port, e.getMessage());
            return null;
        }
    }

    /** Starts watching the configuration and worker folders, or logs why nothing is watched. */
    private FileReloader startFileReloader(Supervisor supervisor, ConfigReloader reloader) {
        FileReloader fileReloader =
                new FileReloader(mode, configFile, supervisor.workersDirectory(), reloader);
        try {
            fileReloader.start();
            return fileReloader;
        } catch (IOException e) {
            log.error("file reloader not started, changed files need SIGHUP: {}", e.getMessage());
            fileReloader.close();
            return null;
        }
    }

    /** SIGTERM and SIGINT stop the daemon; SIGHUP reloads the configuration and swaps all. */
    private void handleSignals(ConfigReloader reloader) {
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> {
                log.info("tqserver stopping signal=SIG{}", signal.getName());
                stopRequested.countDown();
            });
        }
        Signal.handle(new Signal("HUP"), signal -> {
            log.info("tqserver reloading signal=SIGHUP");
            systemd.reloading();
            reloader.reload(true).whenComplete((result, error) -> {
                if (error != null) {
                    log.error("tqserver reload failed", error);
                }
                systemd.ready("reloaded");
            });
        });
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
    private void stop(Running running) {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        systemd.stopping();
        if (running.control != null) {
            running.control.close();
        }
        running.reloader.close();
        running.proxy.stop(running.reloader.running().server().writeTimeout());
        running.supervisor.stop();
        running.accessLog.close();
        running.pidFile.delete();
        log.info("tqserver stopped");
        ServerLogging.shutdown();
    }

    /** Components that {@link #stop} takes down. */
    private static final class Running {
        final ProxyServer proxy;
        final Supervisor supervisor;
        final ConfigReloader reloader;
        final AccessLog accessLog;
        final PidFile pidFile;
        volatile ControlServer control;

        Running(ProxyServer proxy, Supervisor supervisor, ConfigReloader reloader,
                AccessLog accessLog, PidFile pidFile) {
            this.proxy = proxy;
            this.supervisor = supervisor;
            this.reloader = reloader;
            this.accessLog = accessLog;
            this.pidFile = pidFile;
        }
    }
}
