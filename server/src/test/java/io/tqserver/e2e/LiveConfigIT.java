package io.tqserver.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tqserver.testing.LoopbackPorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configuration edits applied to a running daemon: saved files picked up by the file watcher,
 * the control endpoint and SIGHUP.
 */
class LiveConfigIT {

    /** Maximum wait for an edit to show in responses. */
    private static final Duration APPLY_TIMEOUT = Duration.ofSeconds(30);

    /** A quiet period no test outlasts, so the file watcher leaves SIGHUP and control alone. */
    private static final int WATCHER_OFF_MS = 600_000;

    private static final String WORKER_YAML = """
            path: /
            runtime:
              max_procs: 1
              mem_limit: 64MiB
            timeouts:
              read_timeout_seconds: %d
            """;

    @TempDir
    Path folder;

    @Test
    void workerTimeoutChangesWithoutRestart() throws Exception {
        int controlPort = LoopbackPorts.freePort();
        try (RunningDaemon daemon = DaemonFolder.at(folder).testWorker("ops", "ops", "/")
                .file("workers/ops/config/worker.yaml", WORKER_YAML.formatted(1))
                .setting("server", "control_port", controlPort)
                .setting("file_watcher", "debounce_ms", WATCHER_OFF_MS)
                .start()) {
            assertThat(HttpConnection.get(daemon.port(), "/slow?ms=1500").status())
                    .isEqualTo(504);

            Files.writeString(folder.resolve("workers/ops/config/worker.yaml"),
                    WORKER_YAML.formatted(5));
            Operations.Result reload = Operations.control(controlPort, "POST", "/reload");

            assertThat(reload.status()).as(reload.output()).isEqualTo(200);
            assertThat(reload.output()).contains("worker=ops SWAPPED");
            assertThat(HttpConnection.get(daemon.port(), "/slow?ms=1500").status())
                    .isEqualTo(200);
            assertThat(daemon.handle().isAlive()).isTrue();
            assertThat(daemon.logMatches(Pattern.compile("tqserver starting"))).hasSize(1);
        }
    }

    @Test
    void savedServerYamlAppliesWithoutSignal() throws Exception {
        try (RunningDaemon daemon = DaemonFolder.at(folder).testWorker("ops", "ops", "/")
                .testWorker("ops", "second", "/second")
                .start()) {
            assertThat(HttpConnection.get(daemon.port(), "/slow?ms=1500").status())
                    .isEqualTo(200);

            editServerYaml("server:\n", "server:\n  request_timeout_seconds: 1\n");

            awaitStatus(daemon, "/slow?ms=1500", 504);
            daemon.awaitLog(Pattern.compile("config reloaded file="));
            assertThat(daemon.logMatches(Pattern.compile("worker started worker=ops ")))
                    .hasSize(1);
            assertThat(daemon.logMatches(Pattern.compile("worker started worker=second ")))
                    .hasSize(1);
            assertThat(daemon.logMatches(Pattern.compile("signal=SIGHUP"))).isEmpty();
        }
    }

    @Test
    void savedWorkerYamlSwapsOnlyThatWorker() throws Exception {
        DaemonFolder layout = DaemonFolder.at(folder).testWorker("ops", "ops", "/")
                .file("workers/ops/config/worker.yaml", WORKER_YAML.formatted(1))
                .testWorker("ops", "second", "/second")
                .arguments("--mode", "prod");
        Operations.buildJars(folder);
        try (RunningDaemon daemon = layout.start()) {
            assertThat(HttpConnection.get(daemon.port(), "/slow?ms=1500").status())
                    .isEqualTo(504);

            Files.writeString(folder.resolve("workers/ops/config/worker.yaml"),
                    WORKER_YAML.formatted(5));

            daemon.awaitLog(Pattern.compile("worker swapped worker=ops "));
            assertThat(HttpConnection.get(daemon.port(), "/slow?ms=1500").status())
                    .isEqualTo(200);
            assertThat(daemon.logMatches(Pattern.compile("worker started worker=second ")))
                    .as(daemon.log())
                    .hasSize(1);
        }
    }

    @Test
    void invalidSavedServerYamlKeepsRunningConfig() throws Exception {
        try (RunningDaemon daemon = DaemonFolder.at(folder).testWorker("ops", "ops", "/")
                .start()) {
            String valid = Files.readString(folder.resolve("config/server.yaml"));
            editServerYaml("server:\n", "server:\n  request_timeout_seconds: -5\n");

            daemon.awaitLog(Pattern.compile("server config rejected, running config kept: "
                    + ".*server\\.yaml:\\d+: server\\.request_timeout_seconds: -5"));
            assertThat(HttpConnection.get(daemon.port(), "/slow?ms=1500").status())
                    .isEqualTo(200);

            // The watcher still applies the next valid save.
            Files.writeString(folder.resolve("config/server.yaml"),
                    valid.replace("server:\n", "server:\n  request_timeout_seconds: 1\n"));
            awaitStatus(daemon, "/slow?ms=1500", 504);
            assertThat(daemon.handle().isAlive()).isTrue();
        }
    }

    @Test
    void disabledWorkerStopsAndStartsAgain() throws Exception {
        String enabled = "path: /second\nruntime:\n  max_procs: 1\n  mem_limit: 64MiB\n";
        DaemonFolder layout = DaemonFolder.at(folder).testWorker("ops", "ops", "/one")
                .testWorker("ops", "second", "/second")
                .arguments("--mode", "prod");
        Operations.buildJars(folder);
        try (RunningDaemon daemon = layout.start()) {
            Path workerYaml = folder.resolve("workers/second/config/worker.yaml");
            Files.writeString(workerYaml, enabled + "enabled: false\n");

            daemon.awaitLog(Pattern.compile("worker stopped worker=second"));
            awaitStatus(daemon, "/second/x", 404);
            assertThat(daemon.workerPids()).hasSize(1);

            Files.writeString(workerYaml, enabled + "enabled: true\n");
            awaitStatus(daemon, "/second/x", 200);
            assertThat(HttpConnection.get(daemon.port(), "/one/x").status()).isEqualTo(200);
        }
    }

    @Test
    void invalidEditKeepsRunningConfig() throws Exception {
        try (RunningDaemon daemon = DaemonFolder.at(folder).testWorker("ops", "ops", "/")
                .setting("file_watcher", "debounce_ms", WATCHER_OFF_MS)
                .start()) {
            Path serverYaml = folder.resolve("config/server.yaml");
            String valid = Files.readString(serverYaml);
            Files.writeString(serverYaml, valid + "health:\n  interval_ms: -1\n");
            Operations.sendHangup(daemon.pid());

            daemon.awaitLog(Pattern.compile("server config rejected, running config kept: "
                    + ".*server\\.yaml:\\d+: health\\.interval_ms: -1"));
            assertThat(HttpConnection.get(daemon.port(), "/").status()).isEqualTo(200);

            Files.writeString(serverYaml, valid);
            Files.writeString(folder.resolve("workers/ops/config/worker.yaml"),
                    "path: /\nruntime:\n  max_procs: -1\n");
            Operations.sendHangup(daemon.pid());

            daemon.awaitLog(Pattern.compile("worker config rejected, running settings kept"
                    + " worker=ops: .*worker\\.yaml:3: runtime\\.max_procs: -1"));
            assertThat(HttpConnection.get(daemon.port(), "/").status()).isEqualTo(200);
            assertThat(daemon.handle().isAlive()).isTrue();
        }
    }

    /** Replaces {@code from} by {@code to} in {@code config/server.yaml}, in place. */
    private void editServerYaml(String from, String to) throws IOException {
        Path serverYaml = folder.resolve("config/server.yaml");
        Files.writeString(serverYaml, Files.readString(serverYaml).replace(from, to));
    }

    /** Sends {@code GET target} until it returns {@code status}, for at most 30 s. */
    private static void awaitStatus(RunningDaemon daemon, String target, int status)
            throws Exception {
        long deadline = System.nanoTime() + APPLY_TIMEOUT.toNanos();
        int last = 0;
        while (System.nanoTime() - deadline < 0) {
            last = HttpConnection.get(daemon.port(), target).status();
            if (last == status) {
                return;
            }
            Thread.sleep(50);
        }
        throw daemon.failure("GET " + target + " never returned " + status + "; last: " + last);
    }
}
