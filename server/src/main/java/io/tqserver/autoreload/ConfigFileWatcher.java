package io.tqserver.autoreload;

import io.tqserver.watch.ChangeDebouncer;
import io.tqserver.watch.TreeWatcher;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * Watches one file, such as {@code config/server.yaml}, and reports each burst of changes to it
 * once. The file's folder is watched, not the file, so a save that writes a temporary file and
 * renames it over the old one is seen too. Sub-folders and other files are left out.
 */
final class ConfigFileWatcher implements AutoCloseable {

    private final Path file;
    private final ChangeDebouncer<Path, Path> debouncer;
    private final TreeWatcher watcher;

    /**
     * Creates a watcher; nothing is watched until {@link #start()}.
     *
     * @param debounce returns the quiet period that ends a burst, read at each change
     * @param timer runs {@code onBurst}
     */
    ConfigFileWatcher(Path file, Supplier<Duration> debounce, ScheduledExecutorService timer,
            Runnable onBurst) {
        this.file = file.toAbsolutePath().normalize();
        this.debouncer = new ChangeDebouncer<>(debounce, timer,
                (changed, paths) -> onBurst.run());
        Path name = this.file.getFileName();
        this.watcher = new TreeWatcher(this.file.getParent(),
                (relative, folder) -> folder || !relative.equals(name), this::onChange);
    }

    /**
     * Starts watching the file's folder.
     *
     * @throws IOException when the folder cannot be read
     */
    void start() throws IOException {
        watcher.start();
    }

    boolean isPolling() {
        return watcher.isPolling();
    }

    private void onChange(Path changed) {
        debouncer.add(file, changed);
    }

    @Override
    public void close() {
        watcher.close();
    }
}
