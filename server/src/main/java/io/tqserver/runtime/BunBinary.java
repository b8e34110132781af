package io.tqserver.runtime;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the {@code bun} executable that a Bun worker runs on. {@link #locate} takes the first of
 * these that is set or exists:
 * <ol>
 *   <li>{@code bun.binary} of the worker's {@code worker.yaml};
 *   <li>the environment variable {@value #ENVIRONMENT_VARIABLE};
 *   <li>{@value #INSTALLED_PATH} under TQServer's working directory, where
 *       {@code scripts/install-bun.sh} installs the pinned version;
 *   <li>{@code bun} in a folder of {@code PATH}.
 * </ol>
 * A path with a slash that is not absolute resolves against the working directory; a bare name
 * is looked up in {@code PATH}.
 */
final class BunBinary {

    /** Environment variable that names the {@code bun} executable. */
    static final String ENVIRONMENT_VARIABLE = "BUN";

    /** Where {@code scripts/install-bun.sh} puts {@code bun}, relative to the project root. */
    static final String INSTALLED_PATH = "tools/bun/node_modules/.bin/bun";

    private BunBinary() {
    }

    /**
     * Returns the executable, or empty when none of the places has one.
     *
     * @param configured the worker's {@code bun.binary}, or {@code null}
     * @param environment TQServer's environment
     * @param workingDirectory TQServer's working directory
     */
    static Optional<Path> locate(
            String configured, Map<String, String> environment, Path workingDirectory) {
        String explicit = configured != null ? configured : environment.get(ENVIRONMENT_VARIABLE);
        if (explicit != null && !explicit.isBlank()) {
            return resolve(explicit.trim(), environment, workingDirectory);
        }
        Path installed = workingDirectory.resolve(INSTALLED_PATH);
        if (Files.isExecutable(installed)) {
            return Optional.of(installed);
        }
        return searchPath("bun", environment);
    }

    /** Describes where {@link #locate} looked, for the error shown when it found nothing. */
    static String searched(String configured, Map<String, String> environment) {
        if (configured != null) {
            return "bun.binary " + configured;
        }
        String fromEnvironment = environment.get(ENVIRONMENT_VARIABLE);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return ENVIRONMENT_VARIABLE + "=" + fromEnvironment;
        }
        return INSTALLED_PATH + " and PATH";
    }

    private static Optional<Path> resolve(
            String name, Map<String, String> environment, Path workingDirectory) {
        if (!name.contains("/")) {
            return searchPath(name, environment);
        }
        Path path = workingDirectory.resolve(name);
        return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
    }

    private static Optional<Path> searchPath(String name, Map<String, String> environment) {
        String path = environment.getOrDefault("PATH", "");
        List<Path> candidates = new ArrayList<>();
        for (String folder : path.split(File.pathSeparator)) {
            if (!folder.isEmpty()) {
                candidates.add(Path.of(folder, name));
            }
        }
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }
}
