package io.tqserver.logging;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.status.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log: one line per request, in a file of its own that rolls daily. Lines go
 * through a Logback {@link AsyncAppender} that never blocks, so a slow disk never slows a
 * request. When its queue of {@value #QUEUE_SIZE} lines is full, further lines are dropped
 * until it drains.
 */
public final class AccessLogFile implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AccessLogFile.class);

    /** Line layout: the line as the proxy formatted it, which starts with its own time. */
    private static final String LAYOUT = "%msg%n";
    static final int QUEUE_SIZE = 8192;

    private final LoggerContext context;
    private final AsyncAppender appender;

    private AccessLogFile(LoggerContext context, AsyncAppender appender) {
        this.context = context;
        this.appender = appender;
    }

    /**
     * Opens the access log.
     *
     * @param filePattern file pattern with an optional {@code {date}} placeholder
     * @param maxHistory days of rolled files kept
     * @throws UncheckedIOException when the file cannot be opened
     */
    public static AccessLogFile open(String filePattern, int maxHistory, Clock clock) {
        LoggerContext context = new LoggerContext();
        context.setName("access-log");
        context.setMDCAdapter(new LogbackMDCAdapter());
        context.getStatusManager().add(status -> {
            if (status.getLevel() == Status.ERROR) {
                log.warn("access log failed: {}", status.getMessage(), status.getThrowable());
            }
        });
        context.start();
        AsyncAppender async = new AsyncAppender();
        // The context comes first: an appender attached before it logs a warning to stdout.
        async.setContext(context);
        try {
            async.addAppender(DailyFileAppenders.start(context, "access-file", filePattern,
                    LAYOUT, maxHistory, clock));
        } catch (IOException e) {
            context.stop();
            throw new UncheckedIOException(e);
        }
        async.setName("access");
        async.setQueueSize(QUEUE_SIZE);
        async.setDiscardingThreshold(0);
        async.setNeverBlock(true);
        async.start();
        return new AccessLogFile(context, async);
    }

    /** Queues one line; returns at once, whether or not the line fits in the queue. */
    public void write(String line) {
        LoggingEvent event = new LoggingEvent();
        event.setLoggerContext(context);
        event.setLevel(Level.INFO);
        event.setLoggerName("access");
        event.setInstant(Instant.now());
        event.setMessage(line);
        appender.doAppend(event);
    }

    /** Writes the queued lines and closes the file. */
    @Override
    public void close() {
        appender.stop();
        context.stop();
    }
}
