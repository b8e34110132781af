package io.tqserver.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code config/server.yaml} into a {@link ServerConfig}. A missing file or an empty one
 * gives the defaults of {@link ServerConfig#defaults()}; every absent key keeps its default.
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>allowed values</th></tr>
 *   <tr><td>{@code server.port}</td><td>1 to 65535</td></tr>
 *   <tr><td>{@code server.read_timeout_seconds}, {@code server.write_timeout_seconds},
 *       {@code server.idle_timeout_seconds}</td><td>1 or more</td></tr>
 *   <tr><td>{@code server.max_request_target_bytes}</td><td>64 to 1048576</td></tr>
 *   <tr><td>{@code server.max_header_bytes}</td><td>1024 to 1048576</td></tr>
 *   <tr><td>{@code server.header_timeout_seconds}, {@code server.worker_idle_timeout_seconds},
 *       {@code server.request_timeout_seconds}, {@code server.tunnel_idle_timeout_seconds}</td>
 *       <td>1 or more</td></tr>
 *   <tr><td>{@code server.connect_timeout_ms}</td><td>1 or more</td></tr>
 *   <tr><td>{@code server.log_file}</td><td>file pattern with an optional {@code {date}};
 *       {@code ~}, nothing or {@code ""} turns the file log off</td></tr>
 *   <tr><td>{@code workers.directory}</td><td>folder path</td></tr>
 *   <tr><td>{@code workers.port_range_start}, {@code workers.port_range_end}</td>
 *       <td>1 to 65535, start not above end</td></tr>
 *   <tr><td>{@code workers.startup_delay_ms}, {@code workers.restart_delay_ms},
 *       {@code workers.shutdown_grace_period_ms}</td><td>0 or more</td></tr>
 *   <tr><td>{@code workers.max_drain_seconds}</td><td>1 or more</td></tr>
 *   <tr><td>{@code server.log_max_history}</td><td>days of rolled log files kept, 1 or
 *       more</td></tr>
 *   <tr><td>{@code server.access_log}</td><td>file pattern with an optional {@code {date}};
 *       {@code ~}, nothing or {@code ""} turns the access log off</td></tr>
 *   <tr><td>{@code server.control_port}</td><td>0 (off) to 65535</td></tr>
 *   <tr><td>{@code file_watcher.debounce_ms}</td><td>0 or more</td></tr>
 *   <tr><td>{@code health.interval_ms}, {@code health.timeout_ms}</td><td>1 or more</td></tr>
 *   <tr><td>{@code health.unhealthy_threshold}, {@code health.healthy_threshold}</td>
 *       <td>1 or more</td></tr>
 * </table>
 */
public final class ServerConfigLoader {

    private static final Logger log = LoggerFactory.getLogger(ServerConfigLoader.class);

    private static final int MAX_PORT = 65535;
    private static final int MIN_REQUEST_TARGET_BYTES = 64;
    private static final int MIN_HEADER_BYTES = 1024;
    private static final int MAX_HEAD_LIMIT_BYTES = 1024 * 1024;

    private ServerConfigLoader() {
    }

    /**
     * Reads and validates {@code file}.
     *
     * @throws ConfigException when the file exists but cannot be read, is not valid YAML, has
     *     an unknown key or has an invalid value
     */
    public static ServerConfig load(Path file) throws ConfigException {
        Optional<YamlSection> document = YamlConfigFile.read(file);
        if (document.isEmpty()) {
            log.info("server config file={} not found, using defaults", file);
            return ServerConfig.defaults();
        }
        YamlSection root = document.get();
        ServerConfig.Server server = readServer(root.section("server"));
        ServerConfig.Workers workers = readWorkers(root.section("workers"));
        ServerConfig.FileWatcher fileWatcher = readFileWatcher(root.section("file_watcher"));
        ServerConfig.Health health = readHealth(root.section("health"));
        root.rejectUnknownKeys();
        return new ServerConfig(file, server, workers, fileWatcher, health);
    }

    private static ServerConfig.Server readServer(YamlSection section) throws ConfigException {
        ServerConfig.Server defaults = ServerConfig.Server.DEFAULTS;
        return new ServerConfig.Server(
                section.intValue("port", defaults.port(), 1, MAX_PORT),
                section.seconds("read_timeout_seconds", defaults.readTimeout()),
                section.seconds("write_timeout_seconds", defaults.writeTimeout()),
                section.seconds("idle_timeout_seconds", defaults.idleTimeout()),
                section.logFilePattern("log_file", defaults.logFile(), List.of("{date}")),
                readProxyLimits(section),
                section.intValue("log_max_history", defaults.logMaxHistory(), 1,
                        Integer.MAX_VALUE),
                section.logFilePattern("access_log", defaults.accessLog(), List.of("{date}")),
                section.intValue("control_port", defaults.controlPort(), 0, MAX_PORT));
    }

    private static ServerConfig.ProxyLimits readProxyLimits(YamlSection section)
            throws ConfigException {
        ServerConfig.ProxyLimits defaults = ServerConfig.ProxyLimits.DEFAULTS;
        return new ServerConfig.ProxyLimits(
                section.intValue("max_request_target_bytes", defaults.maxRequestTargetBytes(),
                        MIN_REQUEST_TARGET_BYTES, MAX_HEAD_LIMIT_BYTES),
                section.intValue("max_header_bytes", defaults.maxHeaderBytes(),
                        MIN_HEADER_BYTES, MAX_HEAD_LIMIT_BYTES),
                section.seconds("header_timeout_seconds", defaults.headerTimeout()),
                positiveMillis(section, "connect_timeout_ms", defaults.connectTimeout()),
                section.seconds("worker_idle_timeout_seconds", defaults.workerIdleTimeout()),
                section.seconds("request_timeout_seconds", defaults.requestTimeout()),
                section.seconds("tunnel_idle_timeout_seconds", defaults.tunnelIdleTimeout()));
    }

    private static Duration positiveMillis(YamlSection section, String key, Duration defaultValue)
            throws ConfigException {
        int defaultMillis = (int) defaultValue.toMillis();
        return Duration.ofMillis(section.intValue(key, defaultMillis, 1, Integer.MAX_VALUE));
    }

    private static ServerConfig.Workers readWorkers(YamlSection section) throws ConfigException {
        ServerConfig.Workers defaults = ServerConfig.Workers.DEFAULTS;
        Path directory = section.parsed("directory", defaults.directory(), "a folder path",
                ServerConfigLoader::parseFolder);
        int portRangeStart = section.intValue("port_range_start", defaults.portRangeStart(), 1,
                MAX_PORT);
        int portRangeEnd = section.intValue("port_range_end", defaults.portRangeEnd(), 1,
                MAX_PORT);
        checkPortRange(section, portRangeStart, portRangeEnd);
        return new ServerConfig.Workers(directory, portRangeStart, portRangeEnd,
                section.millis("startup_delay_ms", defaults.startupDelay()),
                section.millis("restart_delay_ms", defaults.restartDelay()),
                section.millis("shutdown_grace_period_ms", defaults.shutdownGracePeriod()),
                section.seconds("max_drain_seconds", defaults.maxDrain()));
    }

    private static ServerConfig.FileWatcher readFileWatcher(YamlSection section)
            throws ConfigException {
        return new ServerConfig.FileWatcher(
                section.millis("debounce_ms", ServerConfig.FileWatcher.DEFAULTS.debounce()));
    }

    private static ServerConfig.Health readHealth(YamlSection section) throws ConfigException {
        ServerConfig.Health defaults = ServerConfig.Health.DEFAULTS;
        return new ServerConfig.Health(
                positiveMillis(section, "interval_ms", defaults.interval()),
                positiveMillis(section, "timeout_ms", defaults.timeout()),
                section.intValue("unhealthy_threshold", defaults.unhealthyThreshold(), 1,
                        Integer.MAX_VALUE),
                section.intValue("healthy_threshold", defaults.healthyThreshold(), 1,
                        Integer.MAX_VALUE));
    }

    /**
     * Rejects a start above the end. The error names port_range_end when the file sets it, and
     * otherwise port_range_start, the only one of the two that the file changed.
     */
    private static void checkPortRange(YamlSection section, int start, int end)
            throws ConfigException {
        if (start <= end) {
            return;
        }
        if (section.contains("port_range_end")) {
            throw section.invalid("port_range_end", "an integer from " + start + " to "
                    + MAX_PORT + ", because workers.port_range_start is " + start);
        }
        throw section.invalid("port_range_start", "an integer from 1 to " + end
                + ", because workers.port_range_end is " + end);
    }

    private static Path parseFolder(String text) {
        if (text.isBlank()) {
            throw new IllegalArgumentException("blank folder path");
        }
        return Path.of(text);
    }
}
