package io.tqserver.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration edits applied to a running daemon, through the control endpoint and SIGHUP. */
class LiveConfigIT {

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
    void invalidEditKeepsRunningConfig() throws Exception {
        try (RunningDaemon daemon = DaemonFolder.at(folder).testWorker("ops", "ops", "/")
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
}
