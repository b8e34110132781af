package io.tqserver.watch;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds changes in a folder tree by walking it at a fixed interval and comparing each file's
 * modification time and size with the previous walk. It costs a walk per interval, so
 * {@link TreeWatcher} uses it only when the operating system refuses more watches.
 */
final class PollingScanner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PollingScanner.class);

    private final Path root;
    private final WatchFilter filter;
    private final Consumer<Path> onChange;
    private final ScheduledExecutorService timer;
    private Map<Path, FileState> previous;

    private PollingScanner(Path root, WatchFilter filter, Consumer<Path> onChange) {
        this.root = root;
        this.filter = filter;
        this.onChange = onChange;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "file-poller");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Takes the first snapshot of {@code root} and starts comparing every {@code interval}. */
    static PollingScanner start(
            Path root, WatchFilter filter, Consumer<Path> onChange, Duration interval)
            throws IOException {
        PollingScanner scanner = new PollingScanner(root, filter, onChange);
        scanner.previous = scanner.snapshot();
        scanner.timer.scheduleWithFixedDelay(scanner::scanQuietly,
                interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return scanner;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    private void scanQuietly() {
        try {
            scan();
        } catch (IOException | RuntimeException e) {
            log.warn("folder tree poll failed root={}: {}", root, e.toString());
        }
    }

    private void scan() throws IOException {
        Map<Path, FileState> current = snapshot();
        for (Map.Entry<Path, FileState> entry : current.entrySet()) {
            if (!entry.getValue().equals(previous.get(entry.getKey()))) {
                onChange.accept(entry.getKey());
            }
        }
        for (Path gone : previous.keySet()) {
            if (!current.containsKey(gone)) {
                onChange.accept(gone);
            }
        }
        previous = current;
    }

    private Map<Path, FileState> snapshot() throws IOException {
        Map<Path, FileState> files = new HashMap<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path folder, BasicFileAttributes attrs) {
                if (!folder.equals(root) && filter.isIgnored(root.relativize(folder), true)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                if (!folder.equals(root)) {
                    files.put(folder, new FileState(0, -1));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (!filter.isIgnored(root.relativize(file), false)) {
                    files.put(file, new FileState(attrs.lastModifiedTime().toMillis(),
                            attrs.size()));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE;
            }
        });
        return files;
    }

    /** What a walk compares; folders have size -1 so only their appearing counts. */
    private record FileState(long modifiedMillis, long size) {
    }
}
