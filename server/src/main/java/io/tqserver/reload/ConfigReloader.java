package io.tqserver.reload;

import io.tqserver.config.ConfigException;
import io.tqserver.config.ServerConfig;
import io.tqserver.config.ServerConfigLoader;
import io.tqserver.config.WorkerConfigLoader;
import io.tqserver.logging.ServerLogging;
import io.tqserver.proxy.ProxyServer;
import io.tqserver.supervisor.Supervisor;
import io.tqserver.supervisor.SwapResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a changed {@code server.yaml} and changed {@code worker.yaml} files to the running
 * daemon. Reloads run one at a time on a thread of their own, so SIGHUP, the control endpoint
 * and file changes can request one from any thread.
 *
 * <p>What applies live: the proxy's timeouts (to connections accepted afterwards), the server
 * log file and its history, the access log, the worker port range, delays and grace period, the
 * health policy, the file watcher's debounce time, and every worker setting (the worker is
 * swapped blue/green, started when newly enabled, stopped when disabled). A new
 * {@code server.port} or {@code workers.directory} is logged as needing a restart.
 */
public final class ConfigReloader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConfigReloader.class);

    private final Path configFile;
    private final ProxyServer proxy;
    private final Supervisor supervisor;
    private final AccessLog accessLog;
    private final ExecutorService reloads = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "config-reload");
        thread.setDaemon(true);
        return thread;
    });
    private volatile ServerConfig running;

    public ConfigReloader(Path configFile, ServerConfig running, ProxyServer proxy,
            Supervisor supervisor, AccessLog accessLog) {
        this.configFile = Objects.requireNonNull(configFile, "configFile");
        this.running = Objects.requireNonNull(running, "running");
        this.proxy = Objects.requireNonNull(proxy, "proxy");
        this.supervisor = Objects.requireNonNull(supervisor, "supervisor");
        this.accessLog = Objects.requireNonNull(accessLog, "accessLog");
    }

    /** Returns the configuration in use. */
    public ServerConfig running() {
        return running;
    }

    /**
     * Reloads {@code server.yaml} and every {@code worker.yaml}.
     *
     * @param swapAll swap every worker, as SIGHUP does, instead of only those whose settings
     *     changed
     * @return a future of the outcome, which fails when a reload is requested after
     *     {@link #close()}
     */
    public CompletableFuture<ReloadResult> reload(boolean swapAll) {
        try {
            return CompletableFuture.supplyAsync(() -> reloadNow(swapAll), reloads)
                    .thenCompose(ReloadResult::awaitSwaps);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Reloads the {@code worker.yaml} of one worker and swaps it, whether or not its settings
     * changed.
     *
     * @return a future of the swap; it fails with {@link ConfigException} for an invalid file
     *     and {@link IllegalArgumentException} for an unknown worker
     */
    public CompletableFuture<SwapResult> reloadWorker(String workerName) {
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return supervisor.reloadWorker(workerName, true);
                } catch (ConfigException e) {
                    log.error("worker config rejected, running settings kept worker={}: {}",
                            workerName, e.getMessage());
                    throw new CompletionException(e);
                }
            }, reloads).thenCompose(swap -> swap);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Applies a change in the folder of {@code workerName}, as the file reloader reports it:
     * see {@link Supervisor#reload(String, boolean)}. Runs after any reload in progress.
     *
     * @param codeChanged whether the worker's code changed, so that it is swapped even when its
     *     settings did not change
     */
    public CompletableFuture<SwapResult> reloadWorkerFolder(String workerName,
            boolean codeChanged) {
        try {
            return CompletableFuture.supplyAsync(
                    () -> supervisor.reload(workerName, codeChanged), reloads)
                    .thenCompose(swap -> swap);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private ReloadResult reloadNow(boolean swapAll) {
        ServerConfig loaded;
        try {
            loaded = ServerConfigLoader.load(configFile);
        } catch (ConfigException e) {
            log.error("server config rejected, running config kept: {}", e.getMessage());
            return ReloadResult.rejected(e.getMessage());
        }
        List<String> errors = new ArrayList<>();
        apply(loaded, errors);
        Map<String, CompletableFuture<SwapResult>> swaps = new LinkedHashMap<>();
        for (String worker : supervisor.workerNames()) {
            try {
                swaps.put(worker, supervisor.reloadWorker(worker, swapAll));
            } catch (ConfigException e) {
                log.error("worker config rejected, running settings kept worker={}: {}",
                        worker, e.getMessage());
                errors.add(e.getMessage());
            }
        }
        startIdleWorkers(swaps, errors);
        log.info("config reloaded file={} swap_all={}", configFile, swapAll);
        return new ReloadResult(errors, swaps);
    }

    /** Starts each worker that does not run although its {@code worker.yaml} enables it. */
    private void startIdleWorkers(
            Map<String, CompletableFuture<SwapResult>> swaps, List<String> errors) {
        for (Path folder : supervisor.idleWorkerFolders()) {
            String worker = folder.getFileName().toString();
            try {
                if (!WorkerConfigLoader.load(folder).enabled()) {
                    continue;
                }
            } catch (ConfigException e) {
                log.error("worker config rejected, worker not started worker={}: {}",
                        worker, e.getMessage());
                errors.add(e.getMessage());
                continue;
            }
            swaps.put(worker, supervisor.addWorker(folder));
        }
    }

    /** Applies a valid server configuration section by section. */
    private void apply(ServerConfig loaded, List<String> errors) {
        ServerConfig previous = running;
        ServerConfig.Server server = loaded.server();
        if (server.port() != previous.server().port()) {
            log.warn("server.port changed to {}, needs a restart; still listening on {}",
                    server.port(), previous.server().port());
        }
        if (server.controlPort() != previous.server().controlPort()) {
            log.warn("server.control_port changed to {}, needs a restart; still {}",
                    server.controlPort(), previous.server().controlPort());
        }
        proxy.updateSettings(server);
        if (!Objects.equals(server.logFile(), previous.server().logFile())
                || server.logMaxHistory() != previous.server().logMaxHistory()) {
            try {
                ServerLogging.changeFile(server.logFile(), server.logMaxHistory());
                log.info("server log file changed file={}", server.logFile());
            } catch (RuntimeException e) {
                log.error("server log file not changed, old file kept file={}",
                        server.logFile(), e);
                errors.add("server.log_file: " + e.getMessage());
            }
        }
        accessLog.change(server.accessLog(), server.logMaxHistory());
        supervisor.applySettings(loaded);
        running = loaded;
    }

    @Override
    public void close() {
        reloads.shutdownNow();
    }
}
