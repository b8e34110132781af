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
public record ServerConfig(
        Path file, Server server, Workers workers, FileWatcher fileWatcher, Health health) {

    public ServerConfig {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(workers, "workers");
        Objects.requireNonNull(fileWatcher, "fileWatcher");
        Objects.requireNonNull(health, "health");
    }

    /** Creates settings with the default health policy. */
    public ServerConfig(Path file, Server server, Workers workers, FileWatcher fileWatcher) {
        this(file, server, workers, fileWatcher, Health.DEFAULTS);
    }

    /** Returns the configuration used when no {@code server.yaml} exists. */
    public static ServerConfig defaults() {
        return new ServerConfig(null, Server.DEFAULTS, Workers.DEFAULTS, FileWatcher.DEFAULTS,
                Health.DEFAULTS);
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
     * @param limits the proxy's request limits and worker-side timeouts
     * @param logMaxHistory days of rolled server and access log files kept; 30 by default
     * @param accessLog access log file pattern with an optional {@code {date}} placeholder, or
     *     {@code null} for no access log; {@code logs/access_{date}.log} by default
     * @param controlPort loopback port of the control endpoint that {@code scripts/deploy.sh}
     *     calls, or 0 for none; 0 by default
     */
    public record Server(
            int port, Duration readTimeout, Duration writeTimeout, Duration idleTimeout,
            String logFile, ProxyLimits limits, int logMaxHistory, String accessLog,
            int controlPort) {

        public static final Server DEFAULTS = new Server(
                8080, Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(120),
                "logs/server_{date}.log", ProxyLimits.DEFAULTS, 30, "logs/access_{date}.log", 0);

        public Server {
            Objects.requireNonNull(limits, "limits");
        }

        /** Creates settings with the default {@link ProxyLimits} and log settings. */
        public Server(
                int port, Duration readTimeout, Duration writeTimeout, Duration idleTimeout,
                String logFile) {
            this(port, readTimeout, writeTimeout, idleTimeout, logFile, ProxyLimits.DEFAULTS);
        }

        /** Creates settings with the default log history, access log and no control port. */
        public Server(
                int port, Duration readTimeout, Duration writeTimeout, Duration idleTimeout,
                String logFile, ProxyLimits limits) {
            this(port, readTimeout, writeTimeout, idleTimeout, logFile, limits, 30,
                    "logs/access_{date}.log", 0);
        }
    }

    /**
     * Limits the proxy applies to each request, read from the {@code server} section.
     *
     * @param maxRequestTargetBytes longest request-target accepted; a longer one gets 414
     * @param maxHeaderBytes largest request header block accepted; a larger one gets 431
     * @param headerTimeout time from a request's first byte until its header block is complete;
     *     a client that takes longer is sent 408 and disconnected
     * @param connectTimeout how long opening a connection to a worker may take before 502
     * @param workerIdleTimeout longest pause between two reads of a worker's response body
     *     before the response is cut off
     * @param requestTimeout longest time from a request's start to its response's end, except
     *     for {@code text/event-stream} responses and upgraded connections
     * @param tunnelIdleTimeout how long an upgraded connection, such as a WebSocket, may carry
     *     no byte in either direction before both sides are closed
     */
    public record ProxyLimits(
            int maxRequestTargetBytes, int maxHeaderBytes, Duration headerTimeout,
            Duration connectTimeout, Duration workerIdleTimeout, Duration requestTimeout,
            Duration tunnelIdleTimeout) {

        public static final ProxyLimits DEFAULTS = new ProxyLimits(
                8 * 1024, 16 * 1024, Duration.ofSeconds(10), Duration.ofSeconds(5),
                Duration.ofSeconds(60), Duration.ofSeconds(300), Duration.ofSeconds(300));
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
     * @param maxDrain longest wait for a replaced instance's requests and upgraded connections,
     *     such as WebSockets, to end before its process is stopped anyway
     */
    public record Workers(
            Path directory, int portRangeStart, int portRangeEnd, Duration startupDelay,
            Duration restartDelay, Duration shutdownGracePeriod, Duration maxDrain) {

        public static final Workers DEFAULTS = new Workers(
                Path.of("workers"), 9000, 9999, Duration.ofMillis(100), Duration.ofMillis(100),
                Duration.ofMillis(500));

        /** Creates settings with the default maximum drain time of 60 seconds. */
        public Workers(
                Path directory, int portRangeStart, int portRangeEnd, Duration startupDelay,
                Duration restartDelay, Duration shutdownGracePeriod) {
            this(directory, portRangeStart, portRangeEnd, startupDelay, restartDelay,
                    shutdownGracePeriod, Duration.ofSeconds(60));
        }
    }

    /**
     * The {@code file_watcher} section.
     *
     * @param debounce quiet time after the last file event before a change is acted on
     */
    public record FileWatcher(Duration debounce) {

        public static final FileWatcher DEFAULTS = new FileWatcher(Duration.ofMillis(50));
    }

    /**
     * The {@code health} section: how ready instances are checked after their start.
     *
     * @param interval time between two checks of an instance; 5000 ms by default
     * @param timeout how long connecting, and then reading the response, may each take; 2000 ms
     *     by default
     * @param unhealthyThreshold consecutive failed checks after which an instance is replaced;
     *     3 by default
     * @param healthyThreshold consecutive passed checks a new instance needs before it takes
     *     requests; 2 by default
     */
    public record Health(
            Duration interval, Duration timeout, int unhealthyThreshold, int healthyThreshold) {

        public static final Health DEFAULTS =
                new Health(Duration.ofMillis(5000), Duration.ofMillis(2000), 3, 2);
    }
}
