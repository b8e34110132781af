package io.tqserver.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrontPortTakenIT {

    @TempDir
    Path folder;

    @Test
    void takenPortExitsWithStatusOne() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(0));
            int port = taken.getLocalPort();
            try (RunningDaemon daemon = DaemonFolder.at(folder).testWorker("ops", "ops", "/")
                    .setting("server", "port", port)
                    .launch()) {
                assertThat(daemon.awaitExit(Duration.ofSeconds(60))).contains(1);
                assertThat(daemon.log()).contains("cannot listen on port " + port);
                assertThat(daemon.workerPids()).isEmpty();
            }
        }
    }
}
