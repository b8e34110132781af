package io.tqserver.logging;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.rolling.RollingFileAppender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Configures the daemon's own log from code, replacing the start-up configuration of
 * {@code logback.xml}: lines at info and above go to stderr and to a file that rolls daily.
 * Worker output goes elsewhere, through {@link WorkerLogs}.
 */
public final class ServerLogging {

    /** Line layout, for example {@code 2026-12-04 15:07:16.123 INFO  Supervisor worker ready}. */
    static final String LAYOUT = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level %logger{0} %msg%n";

    private static final int FILE_QUEUE_SIZE = 1024;
    private static final String FILE_APPENDER = "async-file";

    private ServerLogging() {
    }

    /**
     * Replaces the current configuration. The console appender writes to stderr synchronously,
     * so that lines printed just before a crash are seen. The file appender writes through a
     * queue that blocks callers when full and never drops lines.
     *
     * @param logFilePattern file pattern with an optional {@code {date}} placeholder, such as
     *     {@code logs/server_{date}.log}, or {@code null} for no file log
     * @param quiet whether to leave out the console appender
     * @throws IllegalArgumentException when the file pattern contains {@code %} or a
     *     placeholder other than {@code {date}}
     * @throws UncheckedIOException when the log file's folder cannot be created or the file
     *     cannot be opened
     */
    public static synchronized void configure(String logFilePattern, boolean quiet) {
        configure(logFilePattern, DailyFileAppenders.DEFAULT_MAX_HISTORY, quiet);
    }

    /**
     * Replaces the current configuration, keeping {@code maxHistory} days of rolled server log
     * files; see {@link #configure(String, boolean)}.
     */
    public static synchronized void configure(
            String logFilePattern, int maxHistory, boolean quiet) {
        LoggerContext context = context();
        context.reset();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        // Netty logs per-connection detail at debug, which stays off if root is set to debug.
        context.getLogger("io.netty").setLevel(Level.INFO);
        if (!quiet) {
            root.addAppender(console(context));
        }
        if (logFilePattern != null) {
            root.addAppender(asyncFile(context, logFilePattern, maxHistory));
        }
    }

    /**
     * Moves the server log to another file pattern or history while the daemon runs. The new
     * file is opened before the old one is closed, so no line is lost: each line goes to the old
     * file, the new one, or both. The console appender stays as it is.
     *
     * @param logFilePattern the new pattern, or {@code null} to stop the file log
     * @throws IllegalArgumentException or {@link UncheckedIOException} as
     *     {@link #configure(String, boolean)} does; the old file then stays in use
     */
    public static synchronized void changeFile(String logFilePattern, int maxHistory) {
        LoggerContext context = context();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.core.Appender<ILoggingEvent> old = root.getAppender(FILE_APPENDER);
        AsyncAppender replacement = null;
        if (logFilePattern != null) {
            replacement = asyncFile(context, logFilePattern, maxHistory);
            replacement.setName(FILE_APPENDER + "-next");
            root.addAppender(replacement);
        }
        if (old != null) {
            root.detachAppender(old);
            old.stop();
        }
        if (replacement != null) {
            // Names are only looked up here, so renaming the attached appender is safe.
            replacement.setName(FILE_APPENDER);
        }
    }

    /**
     * Flushes queued lines, closes the log file and stops logging. Lines logged afterwards are
     * dropped, so the daemon calls this last.
     */
    public static synchronized void shutdown() {
        context().stop();
    }

    private static ConsoleAppender<ILoggingEvent> console(LoggerContext context) {
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("console");
        console.setTarget("System.err");
        console.setEncoder(encoder(context));
        console.start();
        return console;
    }

    private static AsyncAppender asyncFile(
            LoggerContext context, String logFilePattern, int maxHistory) {
        RollingFileAppender<ILoggingEvent> file;
        try {
            file = DailyFileAppenders.start(context, "file", logFilePattern, LAYOUT, maxHistory,
                    Clock.systemDefaultZone());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AsyncAppender async = new AsyncAppender();
        async.setContext(context);
        async.setName(FILE_APPENDER);
        async.setQueueSize(FILE_QUEUE_SIZE);
        // By default a queue 80 % full drops events at info and below; 0 keeps every line.
        async.setDiscardingThreshold(0);
        async.setNeverBlock(false);
        async.addAppender(file);
        async.start();
        return async;
    }

    private static PatternLayoutEncoder encoder(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(LAYOUT);
        encoder.start();
        return encoder;
    }

    private static LoggerContext context() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            throw new IllegalStateException("SLF4J is bound to " + factory.getClass().getName()
                    + " (expected: Logback)");
        }
        return context;
    }
}
