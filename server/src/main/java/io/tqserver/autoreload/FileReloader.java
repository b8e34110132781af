package io.tqserver.autoreload;

import io.tqserver.config.RunMode;
import io.tqserver.reload.ConfigReloader;
import io.tqserver.reload.ReloadResult;
import io.tqserver.supervisor.SwapResult;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies saved and deployed files to the running daemon without a signal, in both run modes.
 * It watches the server configuration file and the workers folder, cuts the changes into bursts
 * of {@code file_watcher.debounce_ms} quiet (read again at each change, so a reloaded value
 * applies at once), and hands each burst to the {@link ConfigReloader}, the same path as SIGHUP
 * and {@code POST /reload}:
 *
 * <ul>
 *   <li>a changed server configuration reloads it and every {@code worker.yaml}, swapping only
 *       the workers whose settings changed;
 *   <li>a changed worker folder reloads that worker's {@code worker.yaml}, and swaps the worker
 *       when its settings or its code changed. A new worker folder starts a worker, a removed
 *       one or {@code enabled: false} stops it.
 * </ul>
 *
 * <p>The {@link WatchPolicy} of the mode decides what counts as code: any source file in
 * development mode, only the artifact {@code bin/{name}.jar} in production mode.
 */
public final class FileReloader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FileReloader.class);

    private final WatchPolicy policy;
    private final Path configFile;
    private final Path workersFolder;
    private final ConfigReloader reloader;
    private final ScheduledExecutorService timer;
    private final ConfigFileWatcher configWatcher;
    private final WorkerChangeWatcher workersWatcher;

    /** Creates a reloader; nothing is watched until {@link #start()}. */
    public FileReloader(
            RunMode mode, Path configFile, Path workersFolder, ConfigReloader reloader) {
        this.policy = WatchPolicy.of(mode);
        this.configFile = configFile.toAbsolutePath().normalize();
        this.workersFolder = workersFolder.toAbsolutePath().normalize();
        this.reloader = reloader;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "file-reloader");
            thread.setDaemon(true);
            return thread;
        });
        Supplier<Duration> debounce = () -> reloader.running().fileWatcher().debounce();
        this.configWatcher =
                new ConfigFileWatcher(this.configFile, debounce, timer, this::applyConfigFile);
        this.workersWatcher = new WorkerChangeWatcher(this.workersFolder, policy.filter(),
                debounce, timer, this::applyWorker);
    }

    /**
     * Starts watching the configuration file and the workers folder. A folder that cannot be
     * watched is logged, and the other is still watched.
     *
     * @throws IOException when neither can be watched
     */
    public void start() throws IOException {
        boolean configWatched = startQuietly(configWatcher::start, configFile.getParent());
        boolean workersWatched = startQuietly(workersWatcher::start, workersFolder);
        if (!configWatched && !workersWatched) {
            throw new IOException("neither " + configFile + " nor " + workersFolder
                    + " can be watched");
        }
        log.info("file reloader watching mode={} config={} workers={} polling={}",
                policy, configFile, workersFolder,
                configWatcher.isPolling() || workersWatcher.isPolling());
    }

    @Override
    public void close() {
        configWatcher.close();
        workersWatcher.close();
        timer.shutdownNow();
    }

    /** Reloads the server configuration after a burst of changes to its file. */
    private void applyConfigFile() {
        log.info("server config changed file={}", configFile);
        reloader.reload(false).whenComplete(FileReloader::logReload);
    }

    /** Applies one burst of changes to {@code worker}; runs on the timer thread. */
    private void applyWorker(String worker, Set<Path> changed) {
        boolean codeChanged = changed.stream().anyMatch(path ->
                path.equals(WorkerChangeWatcher.WHOLE_FOLDER)
                        || policy.isCodeChange(worker, path));
        log.info("worker files changed worker={} files={} code_changed={}",
                worker, changed.size(), codeChanged);
        reloader.reloadWorkerFolder(worker, codeChanged)
                .whenComplete((result, error) -> logOutcome(worker, result, error));
    }

    private static boolean startQuietly(Starter starter, Path folder) {
        try {
            starter.start();
            return true;
        } catch (IOException e) {
            log.warn("file reloader not watching path={}: {}; changes there need SIGHUP",
                    folder, e.toString());
            return false;
        }
    }

    private static void logReload(ReloadResult result, Throwable error) {
        if (error != null) {
            log.error("server config reload failed", error);
        } else if (result.accepted()) {
            log.debug("server config reload finished swaps={}", result.swaps().keySet());
        }
    }

    private static void logOutcome(String worker, SwapResult result, Throwable error) {
        if (error != null) {
            log.warn("worker reload failed worker={}", worker, error);
        } else {
            log.debug("worker reload finished worker={} result={}", worker, result);
        }
    }

    @FunctionalInterface
    private interface Starter {
        void start() throws IOException;
    }
}
