package io.tqserver.autoreload;

import io.tqserver.watch.ChangeDebouncer;
import io.tqserver.watch.TreeWatcher;
import io.tqserver.watch.WatchFilter;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a workers folder and reports, once per burst, the worker folder that changed and the
 * changed paths relative to it. The worker is the first name of the path, so a change under
 * {@code workers/ab} never reports {@code workers/a}. An empty relative path stands for the
 * worker folder itself, or for everything when the watcher lost events.
 */
final class WorkerChangeWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WorkerChangeWatcher.class);

    /** The relative path that stands for a whole worker folder. */
    static final Path WHOLE_FOLDER = Path.of("");

    private final Path workersFolder;
    private final ChangeDebouncer<String, Path> debouncer;
    private final TreeWatcher watcher;

    /**
     * Creates a watcher; nothing is watched until {@link #start()}.
     *
     * @param filter paths left out, relative to the workers folder
     * @param debounce returns the quiet period that ends a burst, read at each change
     * @param timer runs {@code onBurst}; a single thread keeps one worker's bursts in order
     * @param onBurst receives the worker name and its changed paths, one burst at a time
     */
    WorkerChangeWatcher(Path workersFolder, WatchFilter filter, Supplier<Duration> debounce,
            ScheduledExecutorService timer, BiConsumer<String, Set<Path>> onBurst) {
        this.workersFolder = workersFolder.toAbsolutePath().normalize();
        this.debouncer = new ChangeDebouncer<>(debounce, timer, onBurst);
        this.watcher = new TreeWatcher(this.workersFolder, filter, this::onChange);
    }

    void start() throws IOException {
        watcher.start();
    }

    /** Starts polling instead of watching, as happens once the OS watch limit is reached. */
    void startPolling() throws IOException {
        watcher.startPolling();
    }

    boolean isPolling() {
        return watcher.isPolling();
    }

    @Override
    public void close() {
        watcher.close();
    }

    private void onChange(Path changed) {
        Path relative = workersFolder.relativize(changed);
        if (relative.toString().isEmpty()) {
            listWorkerFolders().forEach(worker -> debouncer.add(worker, WHOLE_FOLDER));
            return;
        }
        String worker = relative.getName(0).toString();
        int count = relative.getNameCount();
        debouncer.add(worker, count == 1 ? WHOLE_FOLDER : relative.subpath(1, count));
    }

    private Set<String> listWorkerFolders() {
        Set<String> names = new TreeSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(workersFolder)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (Files.isDirectory(entry) && !name.startsWith(".")) {
                    names.add(name);
                }
            }
        } catch (IOException e) {
            log.warn("workers folder not listed path={}", workersFolder, e);
        }
        return names;
    }
}
