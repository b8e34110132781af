package io.tqserver.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.rolling.RollingFileAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Daily files with the day taken from a clock that the test moves.
 *
 * <p>NOTE: both tests failed in one of four full test runs on 2 cores: the first day's file was
 * missing in one, and not yet deleted after 10 s in the other. Logback 1.5.38 cleans old files
 * on background threads that share an unsynchronized last-clean time
 * ({@code TimeBasedArchiveRemover}), and these tests roll over several days within
 * milliseconds. The cause was not confirmed.
 */
class DailyRolloverTest {

    @TempDir
    Path folder;

    private final MovableClock clock = new MovableClock(Instant.parse("2026-03-01T23:59:00Z"));
    private LoggerContext context;

    @BeforeEach
    void startContext() {
        context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        context.start();
    }

    @AfterEach
    void stopContext() {
        context.stop();
    }

    @Test
    void fileNameChangesWithDate() throws Exception {
        String pattern = folder + "/server_{date}.log";
        RollingFileAppender<ILoggingEvent> appender =
                DailyFileAppenders.start(context, "test", pattern, "%msg%n", 30, clock);

        append(appender, "first day");
        clock.advance(Duration.ofMinutes(2));
        append(appender, "second day");
        appender.stop();

        assertThat(Files.readString(folder.resolve("server_2026-03-01.log")))
                .isEqualTo("first day\n");
        assertThat(Files.readString(folder.resolve("server_2026-03-02.log")))
                .isEqualTo("second day\n");
    }

    @Test
    void filesOlderThanHistoryDeleted() throws Exception {
        String pattern = folder + "/worker_{date}.log";
        RollingFileAppender<ILoggingEvent> appender =
                DailyFileAppenders.start(context, "test", pattern, "%msg%n", 2, clock);

        for (int day = 0; day < 5; day++) {
            append(appender, "day " + day);
            clock.advance(Duration.ofDays(1));
        }
        append(appender, "last");
        appender.stop();

        // Logback deletes old files on a thread of its own after each roll-over.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (Files.exists(folder.resolve("worker_2026-03-01.log"))
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(folder.resolve("worker_2026-03-01.log")).doesNotExist();
        assertThat(folder.resolve("worker_2026-03-06.log")).exists();
    }

    private void append(RollingFileAppender<ILoggingEvent> appender, String message) {
        LoggingEvent event = new LoggingEvent();
        event.setLoggerContext(context);
        event.setLevel(Level.INFO);
        event.setLoggerName("test");
        event.setInstant(clock.instant());
        event.setMessage(message);
        appender.doAppend(event);
    }

    /** A UTC clock that stands still until the test moves it. */
    private static final class MovableClock extends Clock {

        private volatile Instant now;

        MovableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("fixed to UTC");
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
