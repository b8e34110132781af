package io.tqserver.devmode;

import io.tqserver.supervisor.Supervisor;
import io.tqserver.supervisor.SwapResult;
import io.tqserver.watch.ChangeDebouncer;
import io.tqserver.watch.TreeWatcher;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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
    private final ScheduledExecutorService timer;
    private final ChangeDebouncer<String, Path> debouncer;
    private final TreeWatcher watcher;

    /** Creates a reloader; nothing is watched until {@link #start()}. */
    public DevReloader(Supervisor supervisor, Duration debounce) {
        this.supervisor = supervisor;
        this.workersFolder = supervisor.workersDirectory();
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "dev-reloader");
            thread.setDaemon(true);
            return thread;
        });
        this.debouncer = new ChangeDebouncer<>(debounce, timer, this::apply);
        this.watcher = new TreeWatcher(workersFolder, new WorkerFolderFilter(), this::onChange);
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
        timer.shutdownNow();
    }

    /** Files the change under the worker its path starts with. */
    private void onChange(Path changed) {
        Path relative = workersFolder.relativize(changed);
        if (relative.toString().isEmpty()) {
            // The watcher lost events: every worker folder may have changed.
            listWorkerFolders().forEach(folder -> debouncer.add(folder, relative));
            supervisor.workerNames().forEach(name -> debouncer.add(name, relative));
            return;
        }
        String worker = relative.getName(0).toString();
        Path inWorker = relative.getNameCount() == 1 ? Path.of("") : relative.subpath(1,
                relative.getNameCount());
        debouncer.add(worker, inWorker);
    }

    /** Applies one burst of changes to {@code worker}; runs on the reloader's thread. */
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

    private Set<String> listWorkerFolders() {
        Set<String> names = new TreeSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(workersFolder)) {
            for (Path entry : entries) {
                if (Files.isDirectory(entry) && !entry.getFileName().toString().startsWith(".")) {
                    names.add(entry.getFileName().toString());
                }
            }
        } catch (IOException e) {
            log.warn("workers folder not listed path={}", workersFolder, e);
        }
        return names;
    }
}
