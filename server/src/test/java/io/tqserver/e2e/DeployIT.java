package io.tqserver.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tqserver.testing.LoopbackPorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/deploy.sh} to a target that is a folder on this machine, where a production
 * daemon runs: a new build swaps in with no failed request, a broken one is rolled back.
 */
class DeployIT {

    @TempDir
    Path target;

    @TempDir
    Path source;

    @Test
    void deploySwapsAndRollsBackBrokenBuild() throws Exception {
        int controlPort = LoopbackPorts.freePort();
        DaemonFolder layout = DaemonFolder.at(target).testWorker("ops", "ops", "/")
                .setting("server", "control_port", controlPort)
                .arguments("--mode", "prod");
        Operations.buildJars(target, "ops");
        DaemonFolder.at(source).testWorker("ops", "ops", "/").file("config/deployment.yaml", """
                targets:
                  local:
                    path: %s
                    control_port: %d
                    swap_timeout_seconds: 60
                """.formatted(target, controlPort));
        setVersion("2");
        Operations.buildJars(source, "ops");

        try (RunningDaemon daemon = layout.start()) {
            RequestLoop loop = RequestLoop.start(daemon.port(), "/", 2, 5_000,
                    Duration.ofSeconds(60));
            Operations.Result deployed = Operations.deploy(source, "local", "ops");
            loop.close();

            assertThat(deployed.status()).as(deployed.output()).isEqualTo(0);
            assertThat(loop.failures()).isEmpty();
            assertThat(loop.succeeded()).isPositive();
            assertThat(HttpConnection.get(daemon.port(), "/").bodyText()).contains("version 2");
            byte[] goodJar = Files.readAllBytes(target.resolve("workers/ops/bin/ops.jar"));

            // A build whose main method fails before listening never passes a health check.
            Path main = source.resolve("workers/ops/src/ops/OpsWorker.java");
            Files.writeString(main, Files.readString(main).replace(
                    "int port = Integer.parseInt(", "int port = Integer.parseInt(\"broken\" + "));
            Operations.buildJars(source, "ops");
            Operations.Result broken = Operations.deploy(source, "local", "ops");

            assertThat(broken.status()).as(broken.output()).isEqualTo(4);
            assertThat(broken.output()).contains("rolled back");
            assertThat(Files.readAllBytes(target.resolve("workers/ops/bin/ops.jar")))
                    .isEqualTo(goodJar);
            assertThat(HttpConnection.get(daemon.port(), "/").bodyText()).contains("version 2");
        }
    }

    @Test
    void unknownTargetExitsWithUsageError() throws Exception {
        DaemonFolder.at(source).testWorker("ops", "ops", "/")
                .file("config/deployment.yaml", "targets:\n  local:\n    path: /tmp\n"
                        + "    control_port: 1\n");

        Operations.Result result = Operations.deploy(source, "staging", "ops");

        assertThat(result.status()).isEqualTo(2);
        assertThat(result.output()).contains("targets.staging");
    }

    private void setVersion(String version) throws Exception {
        Path main = source.resolve("workers/ops/src/ops/OpsWorker.java");
        Files.writeString(main, Files.readString(main).replace(
                "VERSION = \"1\"", "VERSION = \"" + version + "\""));
    }
}
