/**
 * Watches folders for file changes: {@link TreeWatcher} reports every changed path of a folder
 * tree, through {@link java.nio.file.WatchService} or, past the operating system's watch limit,
 * by polling, and {@link ChangeDebouncer} groups a burst of changes into one callback. Neither
 * maps paths to workers, because {@code io.tqserver.autoreload} does that.
 */
package io.tqserver.watch;
