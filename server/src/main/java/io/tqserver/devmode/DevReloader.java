package io.tqserver.devmode;

import io.tqserver.supervisor.Supervisor;
import io.tqserver.supervisor.SwapResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the workers folder in development mode and applies each burst of changes to the one
 * worker whose folder it touched: a changed {@code config/worker.yaml} reloads the worker's
 * settings, any other change rebuilds and swaps it, a new worker folder starts a worker, and a
 * removed one stops it. Bursts are cut by {@code file_watcher.debounce_ms} of quiet.
 */
public final class DevReloader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DevReloader.class);

    private static final Path WORKER_YAML = Path.of("config", "worker.yaml");

    private final Supervisor supervisor;
    private final Path workersFolder;
    private final WorkerChangeWatcher watcher;

    /** Creates a reloader; nothing is watched until {@link #start()}. */
    public DevReloader(Supervisor supervisor, Duration debounce) {
        this.supervisor = supervisor;
        this.workersFolder = supervisor.workersDirectory();
        this.watcher = new WorkerChangeWatcher(workersFolder, debounce, this::apply);
    }

    /**
     * Starts watching the workers folder.
     *
     * @throws IOException when the workers folder cannot be read
     */
    public void start() throws IOException {
        watcher.start();
        log.info("dev reloader watching path={} polling={}", workersFolder, watcher.isPolling());
    }

    @Override
    public void close() {
        watcher.close();
    }

    /** Applies one burst of changes to {@code worker}; runs on the watcher's timer thread. */
    private void apply(String worker, Set<Path> changed) {
        Path folder = workersFolder.resolve(worker);
        boolean running = supervisor.workerNames().contains(worker);
        boolean configured = Files.isRegularFile(folder.resolve(WORKER_YAML));
        CompletableFuture<?> outcome;
        if (running && !configured) {
            log.info("worker folder removed worker={}", worker);
            outcome = supervisor.removeWorker(worker);
        } else if (!configured) {
            return;
        } else if (!running) {
            log.info("worker folder found worker={}", worker);
            outcome = supervisor.addWorker(folder);
        } else if (changed.contains(WORKER_YAML) || changed.contains(Path.of(""))) {
            log.info("worker configuration changed worker={}", worker);
            outcome = supervisor.reload(worker);
        } else {
            log.info("worker sources changed worker={} files={}", worker, changed.size());
            outcome = supervisor.swap(worker);
        }
        outcome.whenComplete((result, error) -> logOutcome(worker, result, error));
    }

    private static void logOutcome(String worker, Object result, Throwable error) {
        if (error != null) {
            log.warn("worker reload failed worker={}", worker, error);
        } else if (result instanceof SwapResult swap) {
            log.debug("worker reload finished worker={} result={}", worker, swap);
        }
    }
}
