package io.tqserver.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tqserver.build.TestWorkerSources;
import io.tqserver.build.WorkerClasspath;
import io.tqserver.config.RunMode;
import io.tqserver.config.WorkerConfig;
import io.tqserver.config.WorkerType;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class JavaWorkerRuntimeTest {

    private static final WorkerClasspath LIBRARY =
            new WorkerClasspath(List.of(Path.of("/opt/lib/pkg-worker.jar")), "test");

    @TempDir
    Path workerFolder;

    @Test
    void buildsAndLaunchesOnDaemonJava() throws IOException {
        TestWorkerSources.copyTo(workerFolder);
        try (JavaWorkerRuntime runtime = new JavaWorkerRuntime(
                worker(new WorkerConfig.Runtime(1, 0, 0), List.of()), RunMode.DEV, LIBRARY)) {
            WorkerBuild build = runtime.build();

            assertThat(build.success()).as(build.failure()).isTrue();
            List<String> command = runtime.launchCommand(build);
            assertThat(command.get(0)).isEqualTo(JavaWorkerRuntime.javaExecutable());
            assertThat(Path.of(command.get(0))).isExecutable();
            assertThat(command).containsSubsequence("-XX:ActiveProcessorCount=1", "-cp",
                    build.artifact() + File.pathSeparator + "/opt/lib/pkg-worker.jar",
                    TestWorkerSources.MAIN_CLASS);
            assertThat(command).last().isEqualTo(TestWorkerSources.MAIN_CLASS);
        }
    }

    @Test
    void developmentModeAddsFastStartOptions() {
        try (JavaWorkerRuntime runtime = new JavaWorkerRuntime(
                worker(new WorkerConfig.Runtime(2, 256L << 20, 0), List.of("-Dapp=1")),
                RunMode.DEV, LIBRARY)) {
            assertThat(runtime.jvmOptions()).containsExactly(
                    "-XX:ActiveProcessorCount=2", "-Xmx256m", "-XX:TieredStopAtLevel=1",
                    "-Xshare:auto", "-XX:-UsePerfData", "-XX:+UseSerialGC", "-Dapp=1");
        }
    }

    @Test
    void configuredCollectorReplacesSerialCollector() {
        try (JavaWorkerRuntime runtime = new JavaWorkerRuntime(
                worker(WorkerConfig.Runtime.DEFAULTS, List.of("-XX:+UseZGC")),
                RunMode.DEV, LIBRARY)) {
            assertThat(runtime.jvmOptions()).doesNotContain("-XX:+UseSerialGC");
            assertThat(runtime.jvmOptions()).endsWith("-XX:+UseZGC");
        }
    }

    @Test
    void productionModeKeepsJvmDefaults() {
        try (JavaWorkerRuntime runtime = new JavaWorkerRuntime(
                worker(new WorkerConfig.Runtime(0, 0, 0), List.of()), RunMode.PROD, LIBRARY)) {
            int processors = Runtime.getRuntime().availableProcessors();
            assertThat(runtime.jvmOptions())
                    .containsExactly("-XX:ActiveProcessorCount=" + processors);
        }
    }

    @Test
    void developmentStandbyRunsLauncherOnLibraryOnly() {
        try (JavaWorkerRuntime runtime = new JavaWorkerRuntime(
                worker(new WorkerConfig.Runtime(2, 256L << 20, 0), List.of("-Dapp=1")),
                RunMode.DEV, LIBRARY)) {
            List<String> command = runtime.standbyCommand().orElseThrow();

            assertThat(command.get(0)).isEqualTo(JavaWorkerRuntime.javaExecutable());
            assertThat(command.subList(1, command.size() - 3))
                    .isEqualTo(runtime.jvmOptions());
            assertThat(command.subList(command.size() - 3, command.size())).containsExactly(
                    "-cp", "/opt/lib/pkg-worker.jar", JavaWorkerRuntime.STANDBY_LAUNCHER);
        }
    }

    @Test
    void productionHasNoStandby() {
        try (JavaWorkerRuntime runtime = new JavaWorkerRuntime(
                worker(WorkerConfig.Runtime.DEFAULTS, List.of()), RunMode.PROD, LIBRARY)) {
            assertThat(runtime.standbyCommand()).isEmpty();
        }
    }

    @Test
    void standbyHandoffNamesMainClassAndFolder() {
        try (JavaWorkerRuntime runtime = new JavaWorkerRuntime(
                worker(WorkerConfig.Runtime.DEFAULTS, List.of()), RunMode.DEV, LIBRARY)) {
            WorkerBuild build = WorkerBuild.succeeded(
                    Path.of("/w/bin/classes-3"), "app.Main", Duration.ZERO);

            assertThat(runtime.standbyHandoff(build)).isEqualTo("app.Main /w/bin/classes-3");
        }
    }

    @Test
    void heapSizeUsesLargestExactUnit() {
        assertThat(JavaWorkerRuntime.heapSize(2L << 30)).isEqualTo("2g");
        assertThat(JavaWorkerRuntime.heapSize(1536L << 20)).isEqualTo("1536m");
        assertThat(JavaWorkerRuntime.heapSize(300 * 1024L)).isEqualTo("300k");
        assertThat(JavaWorkerRuntime.heapSize(3_000_001L)).isEqualTo("3000001");
    }

    @Test
    void launchRejectsFailedBuild() {
        try (JavaWorkerRuntime runtime = new JavaWorkerRuntime(
                worker(WorkerConfig.Runtime.DEFAULTS, List.of()), RunMode.PROD, LIBRARY)) {
            WorkerBuild failed = WorkerBuild.failed("error: broken", Duration.ZERO);

            assertThatThrownBy(() -> runtime.launchCommand(failed))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("error: broken");
        }
    }

    private WorkerConfig worker(WorkerConfig.Runtime runtime, List<String> jvmOptions) {
        return worker(WorkerType.JAVA, runtime, jvmOptions);
    }

    private WorkerConfig worker(
            WorkerType type, WorkerConfig.Runtime runtime, List<String> jvmOptions) {
        return new WorkerConfig("app", workerFolder,
                workerFolder.resolve("config/worker.yaml"), "/app", type, true, runtime,
                WorkerConfig.Timeouts.DEFAULTS, null, new WorkerConfig.Java(null, jvmOptions),
                WorkerConfig.Bun.DEFAULTS, WorkerConfig.Exec.DEFAULTS);
    }
}
