package io.tqserver.runtime;

import io.tqserver.config.RunMode;
import io.tqserver.config.WorkerConfig;
import java.util.Map;

/**
 * Writes the php-fpm configuration of one PHP worker: a global section that logs to stderr, so
 * that php-fpm's messages reach the worker log, and one pool from {@code php.pool} and
 * {@code php.settings}. The pool listens on {@code ${WORKER_PORT}}, which php-fpm reads from
 * the environment, so one file serves every instance.
 */
final class PhpFpmConfig {

    /** Path of php-fpm's ping page, which the health check requests over FastCGI. */
    static final String PING_PATH = "/tqserver-fpm-ping";
    static final String PING_RESPONSE = "pong";

    private PhpFpmConfig() {
    }

    /**
     * Returns the configuration text.
     *
     * @param poolUser user and group the children run as, or {@code null} when php-fpm does not
     *     run as root and so cannot switch users
     */
    static String render(WorkerConfig worker, RunMode mode, String[] poolUser) {
        WorkerConfig.Php php = worker.php();
        WorkerConfig.Pool pool = php.pool();
        StringBuilder text = new StringBuilder()
                .append("; Written by TQServer from ").append(worker.file())
                .append(" at every build; edits are overwritten.\n")
                .append("[global]\n")
                .append("error_log = /proc/self/fd/2\n")
                .append("log_limit = 8192\n")
                .append("daemonize = no\n\n")
                .append('[').append(worker.name()).append("]\n")
                .append("listen = ").append(listenHost(pool.listenAddress()))
                .append(":${WORKER_PORT}\n")
                .append("listen.backlog = 511\n")
                .append("listen.allowed_clients = ").append(pool.listenAddress()).append('\n');
        if (poolUser != null) {
            text.append("user = ").append(poolUser[0]).append('\n')
                    .append("group = ").append(poolUser[1]).append('\n');
        }
        appendProcessManager(text, pool);
        text.append("ping.path = ").append(PING_PATH).append('\n')
                .append("ping.response = ").append(PING_RESPONSE).append('\n')
                // error_log() and PHP's warnings reach the proxy as FastCGI stderr, which it
                // writes to the worker log. With this on, php-fpm would log each of them twice.
                .append("catch_workers_output = no\n")
                // Keeps WORKER_NAME, WORKER_MODE and the rest visible to scripts in getenv().
                .append("clear_env = no\n")
                .append("security.limit_extensions = .php\n");
        if (mode == RunMode.DEV) {
            // Checks every script's timestamp on each request, so an edit shows at once.
            text.append("php_value[opcache.validate_timestamps] = 1\n")
                    .append("php_value[opcache.revalidate_freq] = 0\n");
        }
        for (Map.Entry<String, String> setting : php.settings().entrySet()) {
            text.append("php_value[").append(setting.getKey()).append("] = ")
                    .append(quote(setting.getValue())).append('\n');
        }
        return text.toString();
    }

    private static void appendProcessManager(StringBuilder text, WorkerConfig.Pool pool) {
        text.append("pm = ").append(pool.manager()).append('\n')
                .append("pm.max_children = ").append(pool.maxWorkers()).append('\n');
        if (pool.manager().equals("dynamic")) {
            text.append("pm.start_servers = ").append(pool.startWorkers()).append('\n')
                    .append("pm.min_spare_servers = ").append(pool.minWorkers()).append('\n')
                    .append("pm.max_spare_servers = ")
                    .append(Math.max(pool.startWorkers(), pool.minWorkers())).append('\n');
        }
        if (pool.manager().equals("ondemand")) {
            text.append("pm.process_idle_timeout = ").append(pool.idleTimeout().toSeconds())
                    .append("s\n");
        }
        text.append("pm.max_requests = ").append(pool.maxRequests()).append('\n')
                .append("request_terminate_timeout = ").append(pool.requestTimeout().toSeconds())
                .append("s\n");
    }

    private static String listenHost(String address) {
        return address.contains(":") ? "[" + address + "]" : address;
    }

    /** Quotes a value unless it is a plain word, number or size, as php.ini syntax expects. */
    private static String quote(String value) {
        if (value.matches("[A-Za-z0-9_.+\\-/]*")) {
            return value;
        }
        return "\"" + value.replace("\"", "\\\"") + "\"";
    }
}
