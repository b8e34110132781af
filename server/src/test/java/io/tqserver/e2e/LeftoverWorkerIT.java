package io.tqserver.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
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
            List<Long> leftovers = killed.workerPids();
            assertThat(leftovers).hasSize(1);
            killed.kill();
            assertThat(ProcessTable.isRunning(leftovers.get(0))).isTrue();

            try (RunningDaemon next = DaemonFolder.at(folder)
                    .setting("server", "port", killed.port())
                    .setting("workers", "port_range_start", killed.portRangeStart())
                    .setting("workers", "port_range_end", killed.portRangeEnd())
                    .start()) {
                next.awaitLog(Pattern.compile("worker left by an earlier tqserver, stopping it"
                        + " worker=ops pid=" + leftovers.get(0)));

                assertThat(ProcessTable.isRunning(leftovers.get(0))).isFalse();
                assertThat(HttpConnection.get(next.port(), "/").status()).isEqualTo(200);
            }
        }
    }
}
