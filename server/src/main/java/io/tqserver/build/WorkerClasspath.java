package io.tqserver.build;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The classpath that Java workers compile and run against: the pkg-worker library.
 *
 * <p>{@link #locate(Path)} takes the first of these that applies:
 * <ol>
 *   <li>the system property {@value #PROPERTY}, a list of paths separated by
 *       {@link File#pathSeparator};
 *   <li>a {@code lib/pkg-worker*.jar} beside the running TQServer jar, where {@code mvn package}
 *       copies the daemon's runtime dependencies;
 *   <li>{@code pkg-worker/target/pkg-worker.jar} under the working directory.
 * </ol>
 *
 * @param entries classpath entries, empty when the library was not found
 * @param origin where the entries came from, for logs
 */
public record WorkerClasspath(List<Path> entries, String origin) {

    /** System property that sets the classpath explicitly. */
    public static final String PROPERTY = "tqserver.worker.classpath";

    public WorkerClasspath {
        entries = List.copyOf(entries);
    }

    /** Finds the pkg-worker classpath; relative paths resolve against {@code workingDirectory}. */
    public static WorkerClasspath locate(Path workingDirectory) {
        return locate(workingDirectory, System.getProperty(PROPERTY), runningJar());
    }

    static WorkerClasspath locate(Path workingDirectory, String property, Path runningJar) {
        if (property != null && !property.isBlank()) {
            return new WorkerClasspath(split(workingDirectory, property), "property " + PROPERTY);
        }
        Optional<Path> besideJar = libraryBeside(runningJar);
        if (besideJar.isPresent()) {
            return new WorkerClasspath(List.of(besideJar.get()), "lib folder of the TQServer jar");
        }
        Path built = workingDirectory.resolve("pkg-worker/target/pkg-worker.jar");
        if (Files.isRegularFile(built)) {
            return new WorkerClasspath(List.of(built), "Maven build in the working directory");
        }
        return new WorkerClasspath(List.of(), "not found: set -D" + PROPERTY
                + ", or run mvn package so that " + built + " exists");
    }

    /** Returns whether the library was found. */
    public boolean isFound() {
        return !entries.isEmpty();
    }

    /** Returns the entries joined with {@link File#pathSeparator}, as {@code -cp} expects. */
    public String joined() {
        return String.join(File.pathSeparator, entries.stream().map(Path::toString).toList());
    }

    private static List<Path> split(Path workingDirectory, String property) {
        List<Path> entries = new ArrayList<>();
        for (String entry : property.split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                entries.add(workingDirectory.resolve(entry.strip()));
            }
        }
        return entries;
    }

    private static Optional<Path> libraryBeside(Path runningJar) {
        if (runningJar == null || !Files.isRegularFile(runningJar)) {
            return Optional.empty();
        }
        Path lib = runningJar.toAbsolutePath().resolveSibling("lib");
        if (!Files.isDirectory(lib)) {
            return Optional.empty();
        }
        List<Path> candidates = new ArrayList<>();
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(lib, "pkg-worker*.jar")) {
            jars.forEach(candidates::add);
        } catch (IOException e) {
            return Optional.empty();
        }
        return candidates.stream().sorted().findFirst();
    }

    /** Returns the jar this class was loaded from, or null when it came from a folder. */
    private static Path runningJar() {
        try {
            CodeSource source = WorkerClasspath.class.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null) {
                return null;
            }
            Path location = Path.of(source.getLocation().toURI());
            return location.toString().endsWith(".jar") ? location : null;
        } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
            return null;
        }
    }
}
