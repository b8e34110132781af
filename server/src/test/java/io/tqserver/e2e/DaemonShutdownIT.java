package io.tqserver.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a daemon's workers end when the daemon is killed or stopped. Each test has its own. */
class DaemonShutdownIT {

    @TempDir
    Path folder;

    @Test
    void killedDaemonLeavesNoWorker() throws Exception {
        try (RunningDaemon daemon = DaemonFolder.at(folder)
                .testWorker("echo", "root", "/")
                .testWorker("echo", "api", "/api")
                .start()) {
            // In development mode each worker has its instance and a standby JVM.
            List<Long> workers = daemon.awaitWorkerPids(4);

            daemon.kill();

            assertThat(daemon.handle().isAlive()).isFalse();
            assertThat(daemon.awaitWorkersGone(RunningDaemon.ORPHAN_TIMEOUT)).isEmpty();
            for (long worker : workers) {
                assertThat(ProcessTable.isRunning(worker)).as("worker pid %d", worker).isFalse();
            }
        }
    }

    @Test
    void stopFinishesSlowRequestFirst() throws Exception {
        try (RunningDaemon daemon = DaemonFolder.at(folder)
                .testWorker("echo", "echo", "/")
                .start();
                HttpConnection connection = HttpConnection.open(daemon.port())) {
            // The instance and the standby JVM of development mode.
            List<Long> workers = daemon.awaitWorkerPids(2);
            connection.send("GET /slow?ms=2000 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            daemon.awaitWorkerLog("echo", "slow request started ms=2000");

            daemon.terminate();
            daemon.awaitLog(Pattern.compile("tqserver stopping signal=SIGTERM"));
            assertThat(daemon.workerLog("echo"))
                    .as("the request was still in flight when the daemon began to stop")
                    .doesNotContain("slow request finished");
            HttpResponse response = connection.readResponse();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("slept");
            Optional<Integer> exitStatus = daemon.awaitExit(RunningDaemon.STOP_TIMEOUT);
            assertThat(exitStatus).as("exit status after SIGTERM").contains(0);
            assertThat(daemon.awaitWorkersGone(RunningDaemon.ORPHAN_TIMEOUT)).isEmpty();
            assertThat(daemon.log()).contains("tqserver stopped");
        }
    }
}
