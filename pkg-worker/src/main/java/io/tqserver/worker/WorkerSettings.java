package io.tqserver.worker;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Settings of a worker process, read from the environment that TQServer starts it with.
 *
 * @param port TCP port to listen on at 127.0.0.1, from {@code WORKER_PORT} (required); 0 picks
 *     a free port, which tests use
 * @param name worker name used in log lines, from {@code WORKER_NAME}; default {@code worker}
 * @param route route prefix that the proxy strips before forwarding, such as {@code /} or
 *     {@code /api}, from {@code WORKER_ROUTE}; default {@code /}
 * @param mode from {@code WORKER_MODE}; default {@link WorkerMode#PRODUCTION}
 * @param threads size of the handler thread pool, from {@code WORKER_THREADS}; default
 *     {@link #defaultThreads()}
 * @param shutdownGrace maximum time that in-flight requests get to finish on a graceful stop,
 *     from {@code WORKER_SHUTDOWN_GRACE_MS}; default 5000 ms
 * @param parentPid process whose exit also stops the worker, from {@code TQSERVER_PID}; when
 *     empty, the worker watches its parent process
 */
public record WorkerSettings(
        int port, String name, String route, WorkerMode mode, int threads,
        Duration shutdownGrace, OptionalLong parentPid) {

    /** Upper bound of {@code WORKER_THREADS}, far above any useful pool size. */
    static final int MAX_THREADS = 10_000;

    /** Upper bound of {@code WORKER_SHUTDOWN_GRACE_MS}: one hour. */
    static final long MAX_SHUTDOWN_GRACE_MS = 3_600_000;

    private static final String DEFAULT_SHUTDOWN_GRACE_MS = "5000";

    /**
     * Reads the settings from environment variables.
     *
     * @throws IllegalArgumentException if a variable is missing or invalid; the message names
     *     the variable, its value and what is expected
     */
    public static WorkerSettings fromEnvironment(Map<String, String> env) {
        String portText = textOrDefault(env, "WORKER_PORT", "");
        if (portText.isEmpty()) {
            throw new IllegalArgumentException(
                    "WORKER_PORT is missing (expected: the port to listen on, 0 to 65535)");
        }
        int port = (int) parseLong("WORKER_PORT", portText, 0, 65_535,
                "an integer from 0 to 65535");
        String name = textOrDefault(env, "WORKER_NAME", "worker");
        String route = parseRoute(textOrDefault(env, "WORKER_ROUTE", "/"));
        WorkerMode mode = WorkerMode.parse(textOrDefault(env, "WORKER_MODE", "production"));

        String threadsText = textOrDefault(env, "WORKER_THREADS", "");
        int threads = threadsText.isEmpty()
                ? defaultThreads()
                : (int) parseLong("WORKER_THREADS", threadsText, 1, MAX_THREADS,
                        "an integer from 1 to " + MAX_THREADS);

        String graceText = textOrDefault(env, "WORKER_SHUTDOWN_GRACE_MS",
                DEFAULT_SHUTDOWN_GRACE_MS);
        long graceMs = parseLong("WORKER_SHUTDOWN_GRACE_MS", graceText, 0,
                MAX_SHUTDOWN_GRACE_MS, "milliseconds from 0 to " + MAX_SHUTDOWN_GRACE_MS);

        return new WorkerSettings(port, name, route, mode, threads, Duration.ofMillis(graceMs),
                parseParentPid(env));
    }

    /** Returns the default pool size: max(8, 4 × available processors). */
    public static int defaultThreads() {
        return Math.max(8, 4 * Runtime.getRuntime().availableProcessors());
    }

    private static String textOrDefault(Map<String, String> env, String key, String fallback) {
        String value = env.get(key);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private static String parseRoute(String route) {
        if (!route.startsWith("/")) {
            throw new IllegalArgumentException(
                    "WORKER_ROUTE: " + route + " (expected: a path starting with /)");
        }
        return route;
    }

    private static OptionalLong parseParentPid(Map<String, String> env) {
        String text = textOrDefault(env, "TQSERVER_PID", "");
        if (text.isEmpty()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(parseLong("TQSERVER_PID", text, 1, Long.MAX_VALUE,
                "a process id, 1 or more"));
    }

    private static long parseLong(String key, String text, long min, long max, String expected) {
        try {
            long value = Long.parseLong(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Reported below together with out-of-range values.
        }
        throw new IllegalArgumentException(key + ": " + text + " (expected: " + expected + ")");
    }
}
