package io.tqserver.build;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Outcome of compiling one Java worker.
 *
 * @param classesFolder the folder holding this build's classes, or {@code null} when it failed
 * @param mainClass binary name of the class to launch, or {@code null} when the build failed
 * @param diagnostics errors and warnings, in the order the compiler reported them
 * @param elapsed time the build took
 */
public record JavaBuildResult(
        Path classesFolder, String mainClass, List<BuildDiagnostic> diagnostics,
        Duration elapsed) {

    public JavaBuildResult {
        diagnostics = List.copyOf(diagnostics);
    }

    /** Returns whether the build produced classes that can be launched. */
    public boolean success() {
        return classesFolder != null && diagnostics.stream().noneMatch(BuildDiagnostic::isError);
    }

    /** Returns the diagnostics that fail the build. */
    public List<BuildDiagnostic> errors() {
        return diagnostics.stream().filter(BuildDiagnostic::isError).toList();
    }

    /** Formats every diagnostic on its own line as {@code path:line:col: error: message}. */
    public String formattedDiagnostics() {
        return diagnostics.stream().map(BuildDiagnostic::format).collect(Collectors.joining("\n"));
    }
}
