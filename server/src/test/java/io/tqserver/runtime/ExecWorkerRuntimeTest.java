package io.tqserver.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.tqserver.config.WorkerConfig;
import io.tqserver.config.WorkerType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecWorkerRuntimeTest {

    @TempDir
    Path workerFolder;

    @Test
    void launchesCommandAfterBuild() {
        ExecWorkerRuntime runtime = runtime(List.of("sh", "-c", "echo built > out.txt"),
                WorkerConfig.Runtime.DEFAULTS, Map.of());

        WorkerBuild build = runtime.build();

        assertThat(build.success()).as("build: %s", build.failure()).isTrue();
        assertThat(workerFolder.resolve("out.txt")).hasContent("built");
        assertThat(runtime.launchCommand(build)).containsExactly("bin/server", "--quiet");
    }

    @Test
    void failedBuildKeepsOutput() {
        ExecWorkerRuntime runtime = runtime(List.of("sh", "-c", "echo syntax error; exit 2"),
                WorkerConfig.Runtime.DEFAULTS, Map.of());

        WorkerBuild build = runtime.build();

        assertThat(build.failure())
                .isEqualTo("sh -c echo syntax error; exit 2 failed with status 2\nsyntax error\n");
    }

    @Test
    void missingBuildProgramFailsBuild() {
        ExecWorkerRuntime runtime = runtime(List.of("./no-such-program"),
                WorkerConfig.Runtime.DEFAULTS, Map.of());

        WorkerBuild build = runtime.build();

        assertThat(build.failure()).contains("./no-such-program: cannot start: ");
    }

    @Test
    void limitsGoToEnvironment() {
        ExecWorkerRuntime runtime = runtime(List.of(), new WorkerConfig.Runtime(2, 1L << 30, 0),
                Map.of());

        assertThat(runtime.launchEnvironment()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "WORKER_MAX_PROCS", "2",
                "WORKER_MEM_LIMIT_BYTES", "1073741824",
                "GOMAXPROCS", "2",
                "GOMEMLIMIT", "1073741824"));
    }

    @Test
    void goVariablesOfServerEnvironmentWin() {
        ExecWorkerRuntime runtime = runtime(List.of(), new WorkerConfig.Runtime(2, 1L << 30, 0),
                Map.of("GOMAXPROCS", "8", "GOMEMLIMIT", "4GiB"));

        assertThat(runtime.launchEnvironment()).doesNotContainKeys("GOMAXPROCS", "GOMEMLIMIT");
    }

    private ExecWorkerRuntime runtime(
            List<String> build, WorkerConfig.Runtime limits, Map<String, String> environment) {
        WorkerConfig worker = new WorkerConfig("app", workerFolder,
                workerFolder.resolve("config/worker.yaml"), "/app", WorkerType.EXEC, true, limits,
                WorkerConfig.Timeouts.DEFAULTS, null, WorkerConfig.Java.DEFAULTS,
                WorkerConfig.Bun.DEFAULTS,
                new WorkerConfig.Exec(build, List.of("bin/server", "--quiet")));
        return new ExecWorkerRuntime(worker, environment);
    }
}
