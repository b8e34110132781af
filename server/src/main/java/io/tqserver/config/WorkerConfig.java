package io.tqserver.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
 */
public record WorkerConfig(
        String name, Path folder, Path file, String path, WorkerType type, boolean enabled,
        Runtime runtime, Timeouts timeouts, String logFile, Java java, Bun bun, Exec exec,
        int logMaxHistory) {

    /** Number of days of worker log files kept when {@code logging.log_max_history} is absent. */
    public static final int DEFAULT_LOG_MAX_HISTORY = 30;

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
}
