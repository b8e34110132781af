package io.tqserver.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.status.Status;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the log files that worker processes' stdout and stderr lines go to, one file per worker
 * and apart from the server log. The files roll daily and are written by their own Logback
 * context, so reconfiguring the server log leaves them open.
 *
 * <p>During a swap the old and the new instance of a worker write to the same file. Both get
 * their own {@link WorkerOutput}, backed by one shared appender that is closed when the last
 * output is closed. Each line is written and flushed whole, whichever thread writes it.
 */
public final class WorkerLogs {

    private static final Logger log = LoggerFactory.getLogger(WorkerLogs.class);

    static final String NAME_PLACEHOLDER = "{name}";

    /** Line layout: the time, then the line as the worker wrote it. */
    private static final String LAYOUT = "%d{yyyy-MM-dd HH:mm:ss.SSS} %msg%n";

    private static final LoggerContext CONTEXT = startContext();

    /** Open files by absolute file pattern; guarded by {@code OPEN_FILES}. */
    private static final Map<String, SharedFile> OPEN_FILES = new HashMap<>();

    private WorkerLogs() {
    }

    /**
     * Opens the log of {@code workerName}. When the file cannot be opened, the failure is logged
     * and the returned output discards the worker's lines, so that the worker still runs.
     *
     * @param logFilePattern file pattern in which {@code {name}} becomes the worker's name and
     *     {@code {date}} the day, or {@code null} to discard the output
     */
    public static WorkerOutput open(String workerName, String logFilePattern) {
        return open(workerName, logFilePattern, DailyFileAppenders.DEFAULT_MAX_HISTORY);
    }

    /**
     * Opens the log of {@code workerName}, keeping {@code maxHistory} days of rolled files. A
     * file already open for another instance of the worker keeps the history it was opened with.
     *
     * @param logFilePattern file pattern in which {@code {name}} becomes the worker's name and
     *     {@code {date}} the day, or {@code null} to discard the output
     */
    public static WorkerOutput open(String workerName, String logFilePattern, int maxHistory) {
        if (logFilePattern == null) {
            return DiscardingOutput.INSTANCE;
        }
        String filePattern = logFilePattern.replace(NAME_PLACEHOLDER, workerName);
        String key = Path.of(filePattern).toAbsolutePath().normalize().toString();
        synchronized (OPEN_FILES) {
            SharedFile file = OPEN_FILES.get(key);
            if (file == null) {
                try {
                    file = new SharedFile(key, DailyFileAppenders.start(CONTEXT,
                            "worker-" + workerName, filePattern, LAYOUT, maxHistory,
                            Clock.systemDefaultZone()));
                } catch (IOException | IllegalArgumentException e) {
                    log.warn("worker log not opened, output discarded worker={} file={}",
                            workerName, filePattern, e);
                    return DiscardingOutput.INSTANCE;
                }
                OPEN_FILES.put(key, file);
            }
            file.references++;
            return new FileOutput(file);
        }
    }

    /** Returns the number of worker log files open now. */
    static int openFileCount() {
        synchronized (OPEN_FILES) {
            return OPEN_FILES.size();
        }
    }

    /**
     * Closes the file when its last output is released. The lock stays held while the file
     * closes, so that an open of the same file waits and never has two appenders on it.
     */
    private static void release(SharedFile file) {
        synchronized (OPEN_FILES) {
            file.references--;
            if (file.references == 0) {
                OPEN_FILES.remove(file.key);
                file.appender.stop();
            }
        }
    }

    /**
     * Starts the context that worker files are written through. Logback reports a failed write,
     * such as on a full disk, only as a status, so errors are passed on to the server log;
     * Logback stops reporting an appender's failures after the first few.
     */
    private static LoggerContext startContext() {
        LoggerContext context = new LoggerContext();
        context.setName("worker-logs");
        context.setMDCAdapter(new LogbackMDCAdapter());
        context.getStatusManager().add(status -> {
            if (status.getLevel() == Status.ERROR) {
                log.warn("worker log failed: {}", status.getMessage(), status.getThrowable());
            }
        });
        context.start();
        return context;
    }

    /** One open file and the number of outputs writing to it. */
    private static final class SharedFile {

        final String key;
        final RollingFileAppender<ILoggingEvent> appender;
        int references;

        SharedFile(String key, RollingFileAppender<ILoggingEvent> appender) {
            this.key = key;
            this.appender = appender;
        }
    }

    /** The output of one worker instance. */
    private static final class FileOutput implements WorkerOutput {

        private final SharedFile file;
        private boolean closed;

        FileOutput(SharedFile file) {
            this.file = file;
        }

        /**
         * Appends the line. Holding this output's monitor keeps {@link #close()} from stopping
         * the appender halfway through a line.
         */
        @Override
        public synchronized void write(String line) {
            if (closed) {
                return;
            }
            LoggingEvent event = new LoggingEvent();
            event.setLoggerContext(CONTEXT);
            event.setLevel(Level.INFO);
            event.setLoggerName(file.appender.getName());
            event.setInstant(Instant.now());
            event.setMessage(line);
            file.appender.doAppend(event);
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            release(file);
        }
    }

    /** Output for workers without a log file. */
    private enum DiscardingOutput implements WorkerOutput {
        INSTANCE;

        @Override
        public void write(String line) {
        }

        @Override
        public void close() {
        }
    }
}
