package io.tqserver.watch;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports every path that is created, changed or deleted anywhere under a root folder, except
 * where the {@link WatchFilter} says to leave out. Each folder is registered with one
 * {@link WatchService}, and folders created later are registered as they appear, with a report
 * for every file they already contain.
 *
 * <p>When the operating system refuses another watch (on Linux, past
 * {@code fs.inotify.max_user_watches}), the watcher logs a warning and polls the whole tree
 * with a {@link PollingScanner} instead.
 *
 * <p>Reports arrive on the watcher's own thread; the consumer must not block it for long.
 */
public final class TreeWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TreeWatcher.class);

    /** Time between two scans once the tree is polled. */
    public static final Duration POLL_INTERVAL = Duration.ofMillis(250);

    private final Path root;
    private final WatchFilter filter;
    private final Consumer<Path> onChange;
    private final Map<WatchKey, Path> folders = new HashMap<>();
    private WatchService service;
    private PollingScanner scanner;
    private Thread thread;
    private volatile boolean closed;

    /**
     * Creates a watcher; nothing is watched until {@link #start()}.
     *
     * @param onChange receives each changed path, absolute under {@code root}
     */
    public TreeWatcher(Path root, WatchFilter filter, Consumer<Path> onChange) {
        this.root = root.toAbsolutePath().normalize();
        this.filter = Objects.requireNonNull(filter, "filter");
        this.onChange = Objects.requireNonNull(onChange, "onChange");
    }

    /**
     * Registers the tree and starts the watcher thread.
     *
     * @throws IOException when the root folder cannot be read
     */
    public synchronized void start() throws IOException {
        if (!Files.isDirectory(root)) {
            throw new NotDirectoryException(root.toString());
        }
        service = FileSystems.getDefault().newWatchService();
        try {
            registerTree(root, false);
            thread = new Thread(this::watchLoop, "file-watcher");
        } catch (WatchLimitException e) {
            switchToPolling(e);
            return;
        }
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts the watcher polling the tree, as it does once the watch limit is reached. */
    public synchronized void startPolling() throws IOException {
        if (!Files.isDirectory(root)) {
            throw new NotDirectoryException(root.toString());
        }
        scanner = PollingScanner.start(root, filter, onChange, POLL_INTERVAL);
    }

    /** Returns whether the tree is polled rather than watched. */
    public synchronized boolean isPolling() {
        return scanner != null;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (scanner != null) {
            scanner.close();
        }
        closeService();
    }

    private void watchLoop() {
        while (!closed) {
            WatchKey key;
            try {
                key = service.take();
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            }
            try {
                handle(key);
            } catch (WatchLimitException e) {
                synchronized (this) {
                    if (!closed) {
                        switchToPolling(e);
                    }
                }
                return;
            } catch (RuntimeException e) {
                log.error("file watcher failed to handle an event root={}", root, e);
            }
        }
    }

    private void handle(WatchKey key) throws WatchLimitException {
        Path folder;
        synchronized (this) {
            folder = folders.get(key);
        }
        for (WatchEvent<?> event : key.pollEvents()) {
            if (event.kind() == OVERFLOW) {
                log.warn("file watcher missed events, rescanning root={}", root);
                registerTree(root, true);
                onChange.accept(root);
                continue;
            }
            if (folder == null) {
                continue;
            }
            Path changed = folder.resolve((Path) event.context());
            boolean isFolder = Files.isDirectory(changed, LinkOption.NOFOLLOW_LINKS);
            if (filter.isIgnored(root.relativize(changed), isFolder)) {
                continue;
            }
            if (event.kind() == ENTRY_CREATE && isFolder) {
                registerTree(changed, true);
            }
            onChange.accept(changed);
        }
        if (!key.reset()) {
            synchronized (this) {
                folders.remove(key);
            }
        }
    }

    /**
     * Registers {@code start} and every folder below it that the filter keeps.
     *
     * @param reportFiles whether to report the files found, for a folder that appeared after
     *     the watch began and may have been filled before it was registered
     */
    private void registerTree(Path start, boolean reportFiles) throws WatchLimitException {
        try {
            Files.walkFileTree(start, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path folder, BasicFileAttributes attrs)
                        throws IOException {
                    if (!folder.equals(root) && filter.isIgnored(root.relativize(folder), true)) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    register(folder);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (reportFiles && !filter.isIgnored(root.relativize(file), false)) {
                        onChange.accept(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    // A file deleted during the walk is gone, which its own event reports.
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (WatchLimitException e) {
            throw e;
        } catch (NoSuchFileException e) {
            log.debug("folder gone before it was watched path={}", start);
        } catch (IOException e) {
            log.warn("folder not watched path={}: {}", start, e.toString());
        }
    }

    private void register(Path folder) throws IOException {
        try {
            WatchKey key = folder.register(service, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY);
            synchronized (this) {
                folders.put(key, folder);
            }
        } catch (ClosedWatchServiceException e) {
            throw new NoSuchFileException(folder.toString(), null, "watcher closed");
        } catch (IOException e) {
            if (isWatchLimit(e)) {
                throw new WatchLimitException(folder, e);
            }
            throw e;
        }
    }

    /** Returns whether {@code e} reports that no more watches or watch instances can be made. */
    private static boolean isWatchLimit(IOException e) {
        String message = String.valueOf(e.getMessage());
        return message.contains("limit") || message.contains("No space left on device");
    }

    private void switchToPolling(WatchLimitException limit) {
        log.warn("file watch limit reached, polling the folder tree instead root={}"
                + " interval_ms={} folder={}: {}; raise fs.inotify.max_user_watches to watch"
                + " it again", root, POLL_INTERVAL.toMillis(), limit.folder,
                limit.getCause().getMessage());
        closeService();
        try {
            scanner = PollingScanner.start(root, filter, onChange, POLL_INTERVAL);
        } catch (IOException e) {
            log.error("file watcher stopped, folder tree not readable root={}", root, e);
        }
    }

    private void closeService() {
        if (service == null) {
            return;
        }
        try {
            service.close();
        } catch (IOException e) {
            log.debug("watch service not closed root={}", root, e);
        }
        folders.clear();
    }

    /** Signals that the operating system refused another watch. */
    private static final class WatchLimitException extends IOException {

        private static final long serialVersionUID = 1L;

        final transient Path folder;

        WatchLimitException(Path folder, IOException cause) {
            super(cause.getMessage(), cause);
            this.folder = folder;
        }
    }
}
