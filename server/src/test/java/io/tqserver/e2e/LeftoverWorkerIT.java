package io.tqserver.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A daemon killed with SIGKILL leaves its worker running, because the test worker does not
 * watch its parent; the next daemon started in the same folder stops it.
 */
class LeftoverWorkerIT {

    @TempDir
    Path folder;

    @Test
    void leftoverWorkerStoppedOnNextStart() throws Exception {
        DaemonFolder first = DaemonFolder.at(folder).testWorker("ops", "ops", "/");
        try (RunningDaemon killed = first.start()) {
            long leftover = Long.parseLong(killed.awaitLog(
                    Pattern.compile("worker ready worker=ops pid=(\\d+)")).group(1));
            assertThat(killed.workerPids()).contains(leftover);
            killed.kill();
            assertThat(ProcessTable.isRunning(leftover)).isTrue();

            try (RunningDaemon next = DaemonFolder.at(folder)
                    .setting("server", "port", killed.port())
                    .setting("workers", "port_range_start", killed.portRangeStart())
                    .setting("workers", "port_range_end", killed.portRangeEnd())
                    .start()) {
                next.awaitLog(Pattern.compile("worker left by an earlier tqserver, stopping it"
                        + " worker=ops pid=" + leftover));

                assertThat(ProcessTable.isRunning(leftover)).isFalse();
                assertThat(HttpConnection.get(next.port(), "/").status()).isEqualTo(200);
            }
        }
    }
}
