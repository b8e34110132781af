package io.tqserver.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.TimeBasedRollingPolicy;
import ch.qos.logback.core.status.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;

/**
 * Builds Logback file appenders that roll daily from the file patterns of the configuration,
 * such as {@code logs/server_{date}.log}. Used for the server log and for each worker's log.
 */
final class DailyFileAppenders {

    static final String DATE_PLACEHOLDER = "{date}";

    private static final String DAY_FORMAT = "yyyy-MM-dd";

    /** Days of rolled files kept when the configuration does not say. */
    static final int DEFAULT_MAX_HISTORY = 30;

    private DailyFileAppenders() {
    }

    /**
     * Creates and starts an appender for {@code filePattern}. Each {@code {date}} becomes the
     * current day, so that the file changes at midnight. A pattern without {@code {date}} names
     * the current file, and past days move to archives such as {@code server.2026-12-03.log}.
     * Missing parent folders are created.
     *
     * @param layoutPattern Logback layout pattern of each line
     * @param maxHistory days of rolled files kept; older ones are deleted at each roll-over and
     *     at start
     * @param clock decides the day, and so the file name
     * @throws IllegalArgumentException when {@link #checkPattern} rejects the pattern
     * @throws IOException when the folder cannot be created or the file cannot be opened
     */
    static RollingFileAppender<ILoggingEvent> start(LoggerContext context, String name,
            String filePattern, String layoutPattern, int maxHistory, Clock clock)
            throws IOException {
        checkPattern(filePattern);
        createParentFolder(filePattern, clock);
        RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
        appender.setContext(context);
        appender.setName(name);
        appender.setAppend(true);
        appender.setEncoder(encoder(context, layoutPattern));
        if (!filePattern.contains(DATE_PLACEHOLDER)) {
            appender.setFile(filePattern);
        }
        appender.setRollingPolicy(
                rollingPolicy(context, appender, filePattern, maxHistory, clock));
        appender.start();
        if (!appender.isStarted()) {
            throw new IOException("log file " + filePattern + " could not be opened: "
                    + lastError(context));
        }
        return appender;
    }

    /**
     * Rejects a pattern that Logback 1.5.38 cannot use as a file name pattern. Logback reads
     * {@code %} as the start of a conversion word and turns the backslash of an escaped
     * {@code \\%} into a slash, so a literal percent sign cannot be written. A brace left over
     * from an unknown placeholder breaks the regular expression that Logback builds from the
     * pattern.
     *
     * @throws IllegalArgumentException naming the pattern and the rule it breaks
     */
    static void checkPattern(String filePattern) {
        if (filePattern.contains("%")) {
            throw new IllegalArgumentException("log file pattern " + filePattern
                    + " contains % (expected: a file path without %)");
        }
        String withoutDate = filePattern.replace(DATE_PLACEHOLDER, "");
        if (withoutDate.contains("{") || withoutDate.contains("}")) {
            throw new IllegalArgumentException("log file pattern " + filePattern
                    + " contains a brace (expected: no placeholder other than {date})");
        }
    }

    /** Returns the Logback file name pattern for {@code filePattern}. */
    static String toFileNamePattern(String filePattern) {
        int first = filePattern.indexOf(DATE_PLACEHOLDER);
        if (first < 0) {
            return withArchiveDate(filePattern);
        }
        // Logback needs exactly one primary date token; any further one is marked auxiliary.
        String head = filePattern.substring(0, first) + "%d{" + DAY_FORMAT + "}";
        String tail = filePattern.substring(first + DATE_PLACEHOLDER.length());
        return head + tail.replace(DATE_PLACEHOLDER, "%d{" + DAY_FORMAT + ",aux}");
    }

    /** Inserts the archive date before the file's extension: {@code a.log} to {@code a.%d.log}. */
    private static String withArchiveDate(String fileName) {
        int folderEnd = fileName.lastIndexOf('/') + 1;
        int dot = fileName.lastIndexOf('.');
        String datePart = ".%d{" + DAY_FORMAT + "}";
        if (dot <= folderEnd) {
            return fileName + datePart;
        }
        return fileName.substring(0, dot) + datePart + fileName.substring(dot);
    }

    /** Creates and starts a standard daily rolling policy of Logback; the clock picks the day. */
    static RollingFileAppender<ILoggingEvent> start(LoggerContext context, String name,
            String filePattern, String layoutPattern) throws IOException {
        return start(context, name, filePattern, layoutPattern, DEFAULT_MAX_HISTORY,
                Clock.systemDefaultZone());
    }

    private static TimeBasedRollingPolicy<ILoggingEvent> rollingPolicy(LoggerContext context,
            RollingFileAppender<ILoggingEvent> appender, String filePattern, int maxHistory,
            Clock clock) {
        TimeBasedRollingPolicy<ILoggingEvent> policy = new TimeBasedRollingPolicy<>();
        policy.setContext(context);
        policy.setParent(appender);
        policy.setFileNamePattern(toFileNamePattern(filePattern));
        policy.setMaxHistory(maxHistory);
        policy.setCleanHistoryOnStart(true);
        policy.setTimeBasedFileNamingAndTriggeringPolicy(new ClockTriggeringPolicy<>(clock));
        policy.start();
        return policy;
    }

    private static PatternLayoutEncoder encoder(LoggerContext context, String layoutPattern) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(layoutPattern);
        encoder.start();
        return encoder;
    }

    /** Creates the folder of today's file; Logback creates the folders of later days. */
    private static void createParentFolder(String filePattern, Clock clock) throws IOException {
        String today = filePattern.replace(DATE_PLACEHOLDER, LocalDate.now(clock).toString());
        Path parent = Path.of(today).toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }

    private static String lastError(LoggerContext context) {
        List<Status> statuses = context.getStatusManager().getCopyOfStatusList();
        for (int i = statuses.size() - 1; i >= 0; i--) {
            Status status = statuses.get(i);
            if (status.getLevel() == Status.ERROR) {
                Throwable cause = status.getThrowable();
                return cause == null ? status.getMessage() : status.getMessage() + ": " + cause;
            }
        }
        return "no reason given in the Logback status messages";
    }
}
