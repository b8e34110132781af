package io.tqserver.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Signals a configuration file that cannot be used: unreadable, not valid YAML, or with a key
 * whose value is invalid. The message has the form {@code file:line: key: value (expected: …)},
 * for example {@code config/server.yaml:3: server.port: 70000 (expected: an integer from 1 to
 * 65535)}. The line is left out when no single line is at fault.
 */
public final class ConfigException extends Exception {

    private final Path file;
    private final int line;

    /**
     * Creates an exception for a problem in {@code file}.
     *
     * @param file the configuration file at fault
     * @param line 1-based line of the problem, or 0 when no single line is at fault
     * @param problem the rest of the message, usually {@code key: value (expected: …)}
     */
    public ConfigException(Path file, int line, String problem) {
        this(file, line, problem, null);
    }

    /** Creates an exception for a problem in {@code file} that {@code cause} reported. */
    public ConfigException(Path file, int line, String problem, Throwable cause) {
        super(format(file, line, problem), cause);
        this.file = Objects.requireNonNull(file, "file");
        this.line = line;
    }

    /** Returns the configuration file at fault. */
    public Path file() {
        return file;
    }

    /** Returns the 1-based line of the problem, or 0 when no single line is at fault. */
    public int line() {
        return line;
    }

    private static String format(Path file, int line, String problem) {
        return line > 0 ? file + ":" + line + ": " + problem : file + ": " + problem;
    }
}
