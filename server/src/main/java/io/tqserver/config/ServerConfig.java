package io.tqserver.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the daemon as read from {@code config/server.yaml}. Immutable; a reload builds a new
 * instance and the old one stays in use when the new file is invalid.
 *
 * @param file the file these settings came from, or {@code null} when defaults were used
 */
public record ServerConfig(Path file, Server server, Workers workers, FileWatcher fileWatcher) {

    public ServerConfig {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(workers, "workers");
        Objects.requireNonNull(fileWatcher, "fileWatcher");
    }

    /** Returns the configuration used when no {@code server.yaml} exists. */
    public static ServerConfig defaults() {
        return new ServerConfig(null, Server.DEFAULTS, Workers.DEFAULTS, FileWatcher.DEFAULTS);
    }

    /**
     * The {@code server} section: the front listener and the daemon's own log.
     *
     * @param port TCP port of the front proxy, on all interfaces
     * @param readTimeout how long a client may take to send a request, and how long a worker may
     *     take to start its response
     * @param writeTimeout how long a write to a client may stay pending
     * @param idleTimeout how long an idle keep-alive client connection is kept open
     * @param logFile server log file pattern with an optional {@code {date}} placeholder, or
     *     {@code null} for no file log
     */
    public record Server(
            int port, Duration readTimeout, Duration writeTimeout, Duration idleTimeout,
            String logFile) {

        public static final Server DEFAULTS = new Server(
                8080, Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(120),
                "logs/server_{date}.log");
    }

    /**
     * The {@code workers} section: where workers live and how their processes are run.
     *
     * @param directory folder holding one sub-folder per worker, relative to the working directory
     * @param portRangeStart first port of the pool that worker instances listen on
     * @param portRangeEnd last port of the pool, inclusive
     * @param startupDelay minimum time between starting an instance and routing to it
     * @param restartDelay time between routing to a new instance and stopping the old one
     * @param shutdownGracePeriod time between SIGTERM and SIGKILL when an instance stops
     */
    public record Workers(
            Path directory, int portRangeStart, int portRangeEnd, Duration startupDelay,
            Duration restartDelay, Duration shutdownGracePeriod) {

        public static final Workers DEFAULTS = new Workers(
                Path.of("workers"), 9000, 9999, Duration.ofMillis(100), Duration.ofMillis(100),
                Duration.ofMillis(500));
    }

    /**
     * The {@code file_watcher} section.
     *
     * @param debounce quiet time after the last file event before a change is acted on
     */
    public record FileWatcher(Duration debounce) {

        public static final FileWatcher DEFAULTS = new FileWatcher(Duration.ofMillis(50));
    }
}
