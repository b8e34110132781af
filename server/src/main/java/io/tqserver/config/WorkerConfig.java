package io.tqserver.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of one worker as read from {@code workers/{name}/config/worker.yaml}. Immutable.
 *
 * @param name folder name of the worker, used in logs, ports and {@code WORKER_NAME}
 * @param folder the worker's folder
 * @param file the {@code worker.yaml} these settings came from
 * @param path route prefix, such as {@code /} or {@code /api}; never ends with {@code /} unless
 *     it is {@code /}
 * @param type runtime the worker runs on
 * @param enabled whether the supervisor starts the worker
 * @param runtime process limits
 * @param timeouts per-worker timeouts
 * @param logFile worker log file pattern with optional {@code {name}} and {@code {date}}
 *     placeholders, or {@code null} to discard the worker's output
 * @param java settings that only Java workers read
 * @param bun settings that only Bun workers read
 * @param exec settings that only exec workers read
 * @param logMaxHistory days of rolled worker log files kept
 * @param php settings that only PHP workers read
 */
public record WorkerConfig(
        String name, Path folder, Path file, String path, WorkerType type, boolean enabled,
        Runtime runtime, Timeouts timeouts, String logFile, Java java, Bun bun, Exec exec,
        int logMaxHistory, Php php) {

    /** Number of days of worker log files kept when {@code logging.log_max_history} is absent. */
    public static final int DEFAULT_LOG_MAX_HISTORY = 30;

    /** Creates the settings of a worker that is not a PHP worker. */
    public WorkerConfig(
            String name, Path folder, Path file, String path, WorkerType type, boolean enabled,
            Runtime runtime, Timeouts timeouts, String logFile, Java java, Bun bun, Exec exec,
            int logMaxHistory) {
        this(name, folder, file, path, type, enabled, runtime, timeouts, logFile, java, bun,
                exec, logMaxHistory, Php.DEFAULTS);
    }

    public WorkerConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(java, "java");
        Objects.requireNonNull(bun, "bun");
        Objects.requireNonNull(exec, "exec");
        Objects.requireNonNull(php, "php");
    }

    /** Creates settings that keep {@link #DEFAULT_LOG_MAX_HISTORY} days of worker logs. */
    public WorkerConfig(
            String name, Path folder, Path file, String path, WorkerType type, boolean enabled,
            Runtime runtime, Timeouts timeouts, String logFile, Java java, Bun bun, Exec exec) {
        this(name, folder, file, path, type, enabled, runtime, timeouts, logFile, java, bun,
                exec, DEFAULT_LOG_MAX_HISTORY);
    }

    /**
     * The {@code runtime} section.
     *
     * @param maxProcs processors the worker may use; 0 means all of the machine's
     * @param memLimitBytes memory limit in bytes, or 0 for the runtime's default
     * @param maxRequests requests an instance serves before it is replaced; 0 means unlimited
     */
    public record Runtime(int maxProcs, long memLimitBytes, long maxRequests) {

        public static final Runtime DEFAULTS = new Runtime(2, 0, 0);
    }

    /**
     * The {@code timeouts} section, applied by the proxy to requests for this worker.
     *
     * @param readTimeout how long the worker may take to start its response (504 after it)
     * @param writeTimeout how long a write to the worker may stay pending
     * @param idleTimeout how long an idle pooled connection to the worker is kept
     */
    public record Timeouts(Duration readTimeout, Duration writeTimeout, Duration idleTimeout) {

        public static final Timeouts DEFAULTS = new Timeouts(
                Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(120));
    }

    /**
     * The {@code java} section.
     *
     * @param mainClass fully qualified main class, or {@code null} to use the one class under
     *     {@code src/} that declares {@code main}
     * @param jvmOptions extra JVM options, placed before the main class
     */
    public record Java(String mainClass, List<String> jvmOptions) {

        public static final Java DEFAULTS = new Java(null, List.of());

        public Java {
            jvmOptions = List.copyOf(jvmOptions);
        }
    }

    /**
     * The {@code bun} section.
     *
     * @param binary the {@code bun} executable, or {@code null} to use the {@code BUN}
     *     environment variable or the copy that {@code scripts/install-bun.sh} installs
     * @param entrypoint the file that {@code bun} runs, relative to the worker's folder
     * @param options extra {@code bun} options, such as {@code --smol}, placed before the
     *     entrypoint
     */
    public record Bun(String binary, String entrypoint, List<String> options) {

        public static final Bun DEFAULTS = new Bun(null, "index.ts", List.of());

        public Bun {
            Objects.requireNonNull(entrypoint, "entrypoint");
            options = List.copyOf(options);
        }
    }

    /**
     * The {@code exec} section.
     *
     * @param build command run in the worker's folder before each start, or empty for none
     * @param command command that starts an instance, run in the worker's folder; empty only
     *     for workers of another type
     */
    public record Exec(List<String> build, List<String> command) {

        public static final Exec DEFAULTS = new Exec(List.of(), List.of());

        public Exec {
            build = List.copyOf(build);
            command = List.copyOf(command);
        }
    }

    /**
     * The {@code php} section, with the top-level {@code document_root} and
     * {@code front_controller} keys.
     *
     * @param binary the php-fpm executable, or {@code null} to use the newest
     *     {@code /usr/sbin/php-fpm*}
     * @param configFile php.ini relative to the worker folder, or {@code null} for php-fpm's own
     * @param settings ini settings applied to the pool, in file order
     * @param pool process manager settings of the pool
     * @param documentRoot folder served, relative to the worker folder
     * @param frontController script that serves paths with no script of their own, relative to
     *     the document root; used only when the file exists
     * @param maxBodyBytes {@code post_max_size} of {@code settings} in bytes, PHP's 8M when
     *     absent, or 0 for no limit; larger request bodies get 413
     */
    public record Php(
            String binary, Path configFile, Map<String, String> settings, Pool pool,
            String documentRoot, String frontController, long maxBodyBytes) {

        public static final Php DEFAULTS = new Php(
                null, null, Map.of(), Pool.DEFAULTS, "public", "index.php", 8L << 20);

        public Php {
            settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
            Objects.requireNonNull(pool, "pool");
            Objects.requireNonNull(documentRoot, "documentRoot");
        }
    }

    /**
     * The {@code php.pool} section, written to the php-fpm pool configuration.
     *
     * @param manager {@code static}, {@code dynamic} or {@code ondemand} ({@code pm})
     * @param minWorkers idle children kept at least ({@code pm.min_spare_servers})
     * @param maxWorkers children at most ({@code pm.max_children}); the proxy opens one
     *     connection fewer, because each kept-alive connection holds one child
     * @param startWorkers children started with the pool ({@code pm.start_servers})
     * @param maxRequests requests a child serves before it is replaced; 0 means unlimited
     * @param requestTimeout time after which a request's child is killed; zero means never
     * @param idleTimeout time after which an idle ondemand child exits
     * @param listenAddress loopback IP address php-fpm listens on
     */
    public record Pool(
            String manager, int minWorkers, int maxWorkers, int startWorkers, long maxRequests,
            Duration requestTimeout, Duration idleTimeout, String listenAddress) {

        public static final Pool DEFAULTS = new Pool("dynamic", 1, 8, 2, 1000,
                Duration.ZERO, Duration.ofSeconds(10), "127.0.0.1");
    }
}
