package io.tqserver.e2e;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The repository that the end-to-end tests run from: the {@code tqserver} launcher, the jar it
 * starts and the sample workers. Failsafe sets the system property {@value #PROPERTY} to the
 * repository root; without it, the root is searched upwards from the working directory.
 */
final class TqServerHome {

    static final String PROPERTY = "tqserver.home";

    private static final Path LAUNCHER = Path.of("server", "bin", "tqserver");
    private static final Path JAR = Path.of("server", "target", "tqserver.jar");

    private TqServerHome() {
    }

    /** Returns the repository root, normalized. */
    static Path root() {
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank()) {
            return Path.of(property).toAbsolutePath().normalize();
        }
        for (Path folder = Path.of("").toAbsolutePath(); folder != null;
                folder = folder.getParent()) {
            if (Files.isRegularFile(folder.resolve(LAUNCHER))) {
                return folder;
            }
        }
        throw new IllegalStateException(PROPERTY + " is not set and no parent of "
                + Path.of("").toAbsolutePath() + " contains " + LAUNCHER);
    }

    /**
     * Returns the {@code server/bin/tqserver} launcher.
     *
     * @throws IllegalStateException when the jar it starts has not been built yet
     */
    static Path launcher() {
        Path root = root();
        if (!Files.isRegularFile(root.resolve(JAR))) {
            throw new IllegalStateException(root.resolve(JAR)
                    + " not found: run mvn package (or mvn verify) before the end-to-end tests");
        }
        return root.resolve(LAUNCHER);
    }

    /** Returns the folder of sample worker {@code name} under {@code workers/}. */
    static Path sampleWorker(String name) {
        return root().resolve("workers").resolve(name);
    }
}
