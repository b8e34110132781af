package io.tqserver.build;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import javax.tools.Diagnostic;

/**
 * One compiler message about a worker's sources.
 *
 * @param kind severity as the compiler reports it
 * @param file the source file, or {@code null} when the message concerns no file
 * @param line 1-based line, or 0 when unknown
 * @param column 1-based column, or 0 when unknown
 * @param message the compiler's text, possibly several lines long
 */
public record BuildDiagnostic(
        Diagnostic.Kind kind, Path file, long line, long column, String message) {

    public BuildDiagnostic {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }

    /** Creates an error that concerns the build as a whole rather than a position in a file. */
    public static BuildDiagnostic error(String message) {
        return new BuildDiagnostic(Diagnostic.Kind.ERROR, null, 0, 0, message);
    }

    /** Returns whether this diagnostic fails the build. */
    public boolean isError() {
        return kind == Diagnostic.Kind.ERROR;
    }

    /**
     * Formats this diagnostic as javac does: {@code path:line:col: error: message}, leaving out
     * the parts that are unknown.
     */
    public String format() {
        StringBuilder text = new StringBuilder();
        if (file != null) {
            text.append(file);
            if (line > 0) {
                text.append(':').append(line);
                if (column > 0) {
                    text.append(':').append(column);
                }
            }
            text.append(": ");
        }
        return text.append(severity()).append(": ").append(message).toString();
    }

    private String severity() {
        return switch (kind) {
            case ERROR -> "error";
            case WARNING, MANDATORY_WARNING -> "warning";
            case NOTE, OTHER -> kind.name().toLowerCase(Locale.ROOT);
        };
    }
}
