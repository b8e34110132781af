package io.tqserver.runtime;

import io.tqserver.build.WorkerJars;
import io.tqserver.config.WorkerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Checks the jar that {@code scripts/build-prod.sh} wrote for a Java worker, in place of a build
 * in production mode: the jar must exist, open as a jar and contain its main class.
 */
final class WorkerJarArtifact {

    private static final String BUILD_HINT = "; build it with scripts/build-prod.sh";

    private WorkerJarArtifact() {
    }

    /** Returns a build that launches the worker's jar, or a failed one saying what is wrong. */
    static WorkerBuild open(WorkerConfig worker) {
        long startNanos = System.nanoTime();
        Path jar = WorkerJars.jarOf(worker.folder()).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            return WorkerBuild.failed("artifact not found: " + jar + BUILD_HINT,
                    elapsed(startNanos));
        }
        try (JarFile file = new JarFile(jar.toFile())) {
            String mainClass = worker.java().mainClass();
            if (mainClass == null) {
                mainClass = manifestMainClass(file.getManifest());
            }
            if (mainClass == null) {
                return WorkerBuild.failed("artifact invalid: " + jar + " has no Main-Class in its"
                        + " manifest and java.main_class is not set" + BUILD_HINT,
                        elapsed(startNanos));
            }
            if (file.getEntry(mainClass.replace('.', '/') + ".class") == null) {
                return WorkerBuild.failed("artifact invalid: " + jar + " does not contain "
                        + mainClass + BUILD_HINT, elapsed(startNanos));
            }
            return WorkerBuild.succeeded(jar, mainClass, elapsed(startNanos));
        } catch (IOException | SecurityException e) {
            return WorkerBuild.failed("artifact invalid: " + jar + " cannot be read as a jar: "
                    + e.getMessage() + BUILD_HINT, elapsed(startNanos));
        }
    }

    private static String manifestMainClass(Manifest manifest) {
        if (manifest == null) {
            return null;
        }
        return manifest.getMainAttributes().getValue(Attributes.Name.MAIN_CLASS);
    }

    private static Duration elapsed(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
