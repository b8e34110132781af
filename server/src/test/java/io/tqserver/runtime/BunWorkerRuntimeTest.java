package io.tqserver.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.tqserver.config.RunMode;
import io.tqserver.config.WorkerConfig;
import io.tqserver.config.WorkerType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BunWorkerRuntimeTest {

    @TempDir
    Path home;

    private Path workerFolder;

    @BeforeEach
    void createWorker() throws IOException {
        workerFolder = home.resolve("workers/app");
        Files.createDirectories(workerFolder);
        Files.writeString(workerFolder.resolve("index.ts"), "console.log(1);\n");
    }

    @Test
    void locatePrefersConfiguredThenEnvironment() throws IOException {
        Path configured = executable(home.resolve("opt/bun"));
        Path fromEnvironment = executable(home.resolve("env/bun"));
        Path installed = executable(home.resolve(BunBinary.INSTALLED_PATH));
        Map<String, String> environment = Map.of("BUN", fromEnvironment.toString());

        assertThat(BunBinary.locate(configured.toString(), environment, home))
                .contains(configured);
        assertThat(BunBinary.locate(null, environment, home)).contains(fromEnvironment);
        assertThat(BunBinary.locate(null, Map.of(), home)).contains(installed);
    }

    @Test
    void locateSearchesPathForBareName() throws IOException {
        Path onPath = executable(home.resolve("path-folder/bun"));
        Map<String, String> environment = Map.of("PATH", "/nonexistent:" + onPath.getParent());

        assertThat(BunBinary.locate(null, environment, home)).contains(onPath);
        assertThat(BunBinary.locate("bun", environment, home)).contains(onPath);
        assertThat(BunBinary.locate("missing/bun", environment, home)).isEmpty();
    }

    @Test
    void buildFailsWhenBunMissing() {
        BunWorkerRuntime runtime = runtime(new WorkerConfig.Bun("missing/bun", "index.ts",
                List.of()), WorkerConfig.Runtime.DEFAULTS, RunMode.DEV);

        WorkerBuild build = runtime.build();

        assertThat(build.success()).isFalse();
        assertThat(build.failure()).startsWith("bun not found in bun.binary missing/bun");
    }

    @Test
    void buildFailsWhenEntrypointMissing() throws IOException {
        Path bun = executable(home.resolve("bin/bun"));
        BunWorkerRuntime runtime = runtime(new WorkerConfig.Bun(bun.toString(), "src/main.ts",
                List.of()), WorkerConfig.Runtime.DEFAULTS, RunMode.DEV);

        WorkerBuild build = runtime.build();

        assertThat(build.failure()).isEqualTo(
                "bun.entrypoint: src/main.ts not found in " + workerFolder);
    }

    @Test
    void launchCommandAndEnvironment() throws IOException {
        Path bun = executable(home.resolve("bin/bun"));
        BunWorkerRuntime runtime = runtime(new WorkerConfig.Bun(bun.toString(), "index.ts",
                List.of("--smol")), new WorkerConfig.Runtime(3, 256L << 20, 0), RunMode.DEV);

        WorkerBuild build = runtime.build();

        assertThat(build.success()).as("build: %s", build.failure()).isTrue();
        assertThat(runtime.launchCommand(build))
                .containsExactly(bun.toString(), "--no-install", "--smol", "index.ts");
        assertThat(runtime.launchEnvironment()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "WORKER_MAX_PROCS", "3",
                "WORKER_MEM_LIMIT_BYTES", "268435456",
                "BUN_JSC_forceRAMSize", "268435456"));
    }

    @Test
    void installRunsOnlyWhenPackageJsonChanges() throws IOException {
        // A stand-in for bun that counts its runs; the end-to-end tests run the real install.
        Path runs = home.resolve("runs.txt");
        Path bun = executable(home.resolve("bin/bun"),
                "#!/bin/sh\necho \"$@\" >> " + runs + "\n");
        Files.writeString(workerFolder.resolve("package.json"), "{\"dependencies\": {}}\n");
        BunWorkerRuntime runtime = runtime(new WorkerConfig.Bun(bun.toString(), "index.ts",
                List.of()), WorkerConfig.Runtime.DEFAULTS, RunMode.DEV);

        assertThat(runtime.build().success()).isTrue();
        assertThat(runtime.build().success()).isTrue();
        assertThat(Files.readAllLines(runs)).containsExactly("install");

        Files.writeString(workerFolder.resolve("package.json"),
                "{\"dependencies\": {\"a\": \"1\"}}\n");
        assertThat(runtime.build().success()).isTrue();
        assertThat(Files.readAllLines(runs)).containsExactly("install", "install");
    }

    @Test
    void productionInstallKeepsLockfile() throws IOException {
        Files.writeString(workerFolder.resolve("bun.lock"), "{}\n");
        Path bun = Path.of("/opt/bun");

        assertThat(new BunInstall(workerFolder, RunMode.PROD).command(bun))
                .containsExactly("/opt/bun", "install", "--frozen-lockfile");
        assertThat(new BunInstall(workerFolder, RunMode.DEV).command(bun))
                .containsExactly("/opt/bun", "install");
    }

    @Test
    void failedInstallFailsBuild() throws IOException {
        Path bun = executable(home.resolve("bin/bun"), "#!/bin/sh\necho resolve failed\nexit 3\n");
        Files.writeString(workerFolder.resolve("package.json"), "{}\n");
        BunWorkerRuntime runtime = runtime(new WorkerConfig.Bun(bun.toString(), "index.ts",
                List.of()), WorkerConfig.Runtime.DEFAULTS, RunMode.DEV);

        WorkerBuild build = runtime.build();

        assertThat(build.failure()).isEqualTo("bun install failed with status 3\nresolve failed\n");
        assertThat(workerFolder.resolve(BunInstall.STAMP)).doesNotExist();
    }

    private BunWorkerRuntime runtime(
            WorkerConfig.Bun bun, WorkerConfig.Runtime limits, RunMode mode) {
        WorkerConfig worker = new WorkerConfig("app", workerFolder,
                workerFolder.resolve("config/worker.yaml"), "/app", WorkerType.BUN, true, limits,
                WorkerConfig.Timeouts.DEFAULTS, null, WorkerConfig.Java.DEFAULTS, bun,
                WorkerConfig.Exec.DEFAULTS);
        return new BunWorkerRuntime(worker, mode, Map.of(), home);
    }

    private static Path executable(Path file) throws IOException {
        return executable(file, "#!/bin/sh\n");
    }

    static Path executable(Path file, String script) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, script);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}
