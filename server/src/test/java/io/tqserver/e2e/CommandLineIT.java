package io.tqserver.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exit statuses and messages of the {@code tqserver} launcher: 0 for help, 1 when it cannot
 * run, 2 for an invalid command line or configuration.
 */
class CommandLineIT {

    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path folder;

    @Test
    void invalidValueNamesFileLineAndKey() throws Exception {
        RunningDaemon daemon = DaemonFolder.at(folder)
                .serverYaml("server:\n  read_timeout_seconds: 30\n  port: -5\n")
                .launch();

        try (daemon) {
            assertThat(daemon.awaitExit(EXIT_TIMEOUT)).contains(2);
            assertThat(daemon.log()).contains("config/server.yaml:3: server.port: -5 (expected:");
        }
    }

    @Test
    void unknownKeyNamesFileLineAndKey() throws Exception {
        RunningDaemon daemon = DaemonFolder.at(folder)
                .serverYaml("server:\n  port: 8080\nworkers:\n  port_range_strat: 9000\n")
                .launch();

        try (daemon) {
            assertThat(daemon.awaitExit(EXIT_TIMEOUT)).contains(2);
            assertThat(daemon.log())
                    .contains("config/server.yaml:4: workers.port_range_strat: unknown key");
        }
    }

    @Test
    void syntaxErrorNamesFileLineAndKey() throws Exception {
        RunningDaemon daemon = DaemonFolder.at(folder)
                .serverYaml("server:\n  port: 8080\n  read_timeout_seconds: 30: 5\n")
                .launch();

        try (daemon) {
            assertThat(daemon.awaitExit(EXIT_TIMEOUT)).contains(2);
            assertThat(daemon.log()).contains("config/server.yaml:3: ");
            assertThat(daemon.log()).contains("invalid YAML");
            assertThat(daemon.log()).contains("server.read_timeout_seconds");
        }
    }

    @Test
    void takenPortExitsWithStatus1() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = taken.getLocalPort();
            RunningDaemon daemon = DaemonFolder.at(folder)
                    .setting("server", "port", port)
                    .launch();

            try (daemon) {
                assertThat(daemon.awaitExit(EXIT_TIMEOUT)).contains(1);
                assertThat(daemon.log()).contains("tqserver: cannot listen on port " + port);
            }
        }
    }

    @Test
    void secondDaemonInFolderExitsWithStatus1() throws Exception {
        try (RunningDaemon first = DaemonFolder.at(folder).start()) {
            RunningDaemon second = DaemonFolder.at(folder).launch();

            try (second) {
                assertThat(second.awaitExit(EXIT_TIMEOUT)).contains(1);
                assertThat(second.log()).contains(
                        "tqserver: another tqserver runs in this folder with pid " + first.pid());
            }
            // The refused daemon writes nothing to the running daemon's server log.
            try (Stream<Path> logs = Files.list(folder.resolve("logs"))) {
                for (Path log : logs.filter(f -> f.getFileName().toString().startsWith("server_"))
                        .toList()) {
                    assertThat(Files.readString(log)).doesNotContain("another tqserver runs");
                }
            }
        }
    }

    @Test
    void helpExitsWithStatus0() throws Exception {
        RunningDaemon daemon = DaemonFolder.at(folder).arguments("--help").launch();

        try (daemon) {
            assertThat(daemon.awaitExit(EXIT_TIMEOUT)).contains(0);
            assertThat(daemon.stdout()).startsWith("Usage: tqserver");
            assertThat(daemon.stdout()).contains("--config=PATH");
            assertThat(daemon.log()).isEmpty();
        }
    }

    @Test
    void unknownOptionGivesOneLineReason() throws Exception {
        RunningDaemon daemon = DaemonFolder.at(folder).arguments("--bogus").launch();

        try (daemon) {
            assertThat(daemon.awaitExit(EXIT_TIMEOUT)).contains(2);
            assertThat(daemon.log()).endsWith("\n");
            assertThat(daemon.log().strip()).doesNotContain("\n");
            assertThat(daemon.log()).contains("'--bogus'");
            assertThat(daemon.stdout()).isEmpty();
        }
    }
}
