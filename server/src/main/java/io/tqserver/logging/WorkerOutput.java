package io.tqserver.logging;

/**
 * Destination of one worker's stdout and stderr lines: its own log file, rolling daily.
 * Obtained from {@link WorkerLogs#open(String, String)}.
 */
public interface WorkerOutput extends AutoCloseable {

    /** Writes one line of the worker's output, without its line terminator. */
    void write(String line);

    /** Flushes and releases the file; later writes are dropped. */
    @Override
    void close();
}
