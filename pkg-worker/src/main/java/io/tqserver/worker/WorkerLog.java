package io.tqserver.worker;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * Line logger of the worker runtime. TQServer captures a worker's stderr into the worker log,
 * so each message becomes one line on stderr, such as
 * {@code INFO worker=index port=9001 listening}.
 *
 * <p>Messages use {@code {}} placeholders. A {@link Throwable} passed after the last argument
 * that a placeholder consumes adds its stack trace; pass one only for failures that are bugs.
 */
final class WorkerLog {

    private static final WorkerLog STDERR = new WorkerLog(System.err);

    private final PrintStream out;

    WorkerLog(PrintStream out) {
        this.out = out;
    }

    /** Returns the logger that writes to the process's stderr. */
    static WorkerLog stderr() {
        return STDERR;
    }

    void info(String pattern, Object... args) {
        write("INFO", pattern, args);
    }

    void warn(String pattern, Object... args) {
        write("WARN", pattern, args);
    }

    void error(String pattern, Object... args) {
        write("ERROR", pattern, args);
    }

    private void write(String level, String pattern, Object[] args) {
        StringBuilder line = new StringBuilder(level.length() + pattern.length() + 32);
        line.append(level).append(' ');
        int consumed = appendFormatted(line, pattern, args);
        Object last = args.length == 0 ? null : args[args.length - 1];
        if (consumed < args.length && last instanceof Throwable error) {
            line.append(System.lineSeparator()).append(stackTrace(error));
        }
        // PrintStream.println is synchronized, so concurrent lines do not interleave.
        out.println(line);
    }

    /** Appends the pattern with each {@code {}} replaced by the next argument. */
    private static int appendFormatted(StringBuilder line, String pattern, Object[] args) {
        int used = 0;
        int from = 0;
        int at = pattern.indexOf("{}");
        while (at >= 0 && used < args.length) {
            line.append(pattern, from, at).append(args[used]);
            used++;
            from = at + 2;
            at = pattern.indexOf("{}", from);
        }
        line.append(pattern, from, pattern.length());
        return used;
    }

    private static String stackTrace(Throwable error) {
        StringWriter text = new StringWriter();
        error.printStackTrace(new PrintWriter(text));
        return text.toString().stripTrailing();
    }
}
