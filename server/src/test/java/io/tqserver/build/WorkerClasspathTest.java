package io.tqserver.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerClasspathTest {

    @TempDir
    Path directory;

    @Test
    void propertyTakesPrecedence() throws IOException {
        Path runningJar = createDistribution();
        String property = "a.jar" + File.pathSeparator + "/opt/b.jar";

        WorkerClasspath classpath = WorkerClasspath.locate(directory, property, runningJar);

        assertThat(classpath.entries())
                .containsExactly(directory.resolve("a.jar"), Path.of("/opt/b.jar"));
        assertThat(classpath.origin()).isEqualTo("property tqserver.worker.classpath");
    }

    @Test
    void findsLibraryBesideRunningJar() throws IOException {
        Path runningJar = createDistribution();

        WorkerClasspath classpath = WorkerClasspath.locate(directory, null, runningJar);

        assertThat(classpath.entries())
                .containsExactly(directory.resolve("dist/lib/pkg-worker-0.1.0.jar"));
    }

    @Test
    void fallsBackToMavenBuildInWorkingDirectory() throws IOException {
        Path built = directory.resolve("pkg-worker/target/pkg-worker.jar");
        Files.createDirectories(built.getParent());
        Files.createFile(built);

        WorkerClasspath classpath = WorkerClasspath.locate(directory, null, null);

        assertThat(classpath.entries()).containsExactly(built);
        assertThat(classpath.isFound()).isTrue();
    }

    @Test
    void reportsWhereToPutLibraryWhenNotFound() {
        WorkerClasspath classpath = WorkerClasspath.locate(directory, "  ", null);

        assertThat(classpath.isFound()).isFalse();
        assertThat(classpath.origin())
                .contains("-Dtqserver.worker.classpath")
                .contains("pkg-worker/target/pkg-worker.jar");
    }

    private Path createDistribution() throws IOException {
        Path lib = Files.createDirectories(directory.resolve("dist/lib"));
        Files.createFile(lib.resolve("netty-buffer-4.2.18.Final.jar"));
        Files.createFile(lib.resolve("pkg-worker-0.1.0.jar"));
        return Files.createFile(directory.resolve("dist/tqserver.jar"));
    }
}
