package io.tqserver.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.tqserver.build.JavaBuildResult;
import io.tqserver.build.JavaWorkerCompiler;
import io.tqserver.build.TestWorkerSources;
import io.tqserver.build.WorkerClasspath;
import io.tqserver.build.WorkerJars;
import io.tqserver.config.RunMode;
import io.tqserver.config.WorkerConfig;
import io.tqserver.config.WorkerType;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class ProductionArtifactTest {

    private static final WorkerClasspath NO_LIBRARY = new WorkerClasspath(List.of(), "test");

    @TempDir
    Path parent;

    @Test
    void productionModeLaunchesWorkerJar() throws IOException {
        Path folder = parent.resolve("app");
        TestWorkerSources.copyTo(folder);
        JavaBuildResult compiled;
        try (JavaWorkerCompiler compiler = new JavaWorkerCompiler(NO_LIBRARY)) {
            compiled = compiler.compile(folder, null);
        }
        Path jar = WorkerJars.write(folder, compiled);

        try (JavaWorkerRuntime runtime = new JavaWorkerRuntime(worker(folder), RunMode.PROD,
                NO_LIBRARY)) {
            WorkerBuild build = runtime.build();

            assertThat(build.success()).as(build.failure()).isTrue();
            assertThat(build.artifact()).isEqualTo(jar.toAbsolutePath());
            assertThat(build.entryPoint()).isEqualTo(TestWorkerSources.MAIN_CLASS);
            assertThat(runtime.launchCommand(build))
                    .containsSubsequence("-cp", jar.toAbsolutePath().toString());
        }
    }

    @Test
    void missingJarFailsWithItsPath() throws IOException {
        Path folder = parent.resolve("app");
        TestWorkerSources.copyTo(folder);

        try (JavaWorkerRuntime runtime = new JavaWorkerRuntime(worker(folder), RunMode.PROD,
                NO_LIBRARY)) {
            WorkerBuild build = runtime.build();

            assertThat(build.success()).isFalse();
            assertThat(build.failure()).startsWith("artifact not found: "
                    + folder.toAbsolutePath() + File.separator + "bin" + File.separator
                    + "app.jar");
            assertThat(folder.resolve("bin")).doesNotExist();
        }
    }

    @Test
    void corruptJarFailsAsInvalid() throws IOException {
        Path folder = parent.resolve("app");
        TestWorkerSources.copyTo(folder);
        Files.createDirectories(folder.resolve("bin"));
        Files.writeString(folder.resolve("bin/app.jar"), "not a jar");

        try (JavaWorkerRuntime runtime = new JavaWorkerRuntime(worker(folder), RunMode.PROD,
                NO_LIBRARY)) {
            WorkerBuild build = runtime.build();

            assertThat(build.success()).isFalse();
            assertThat(build.failure()).startsWith("artifact invalid: ")
                    .contains("cannot be read as a jar");
        }
    }

    private static WorkerConfig worker(Path folder) {
        return new WorkerConfig("app", folder, folder.resolve("config/worker.yaml"), "/app",
                WorkerType.JAVA, true, WorkerConfig.Runtime.DEFAULTS,
                WorkerConfig.Timeouts.DEFAULTS, null, WorkerConfig.Java.DEFAULTS,
                WorkerConfig.Bun.DEFAULTS, WorkerConfig.Exec.DEFAULTS);
    }
}
