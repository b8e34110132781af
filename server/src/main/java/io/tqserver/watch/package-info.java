/**
 * Watches folders for file changes in development mode: {@link TreeWatcher} reports every
 * changed path of a folder tree, through {@link java.nio.file.WatchService} or, past the
 * operating system's watch limit, by polling, and {@link ChangeDebouncer} groups a burst of
 * changes into one callback. Neither knows about workers; {@code io.tqserver.devmode} maps the
 * paths to workers.
 */
package io.tqserver.watch;
