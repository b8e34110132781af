package io.tqserver.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code runtime.max_requests} replaces instances under a request loop. */
class RecyclingIT {

    @TempDir
    Path folder;

    @Test
    void exhaustedInstancesReplacedWithoutFailures() throws Exception {
        try (RunningDaemon daemon = DaemonFolder.at(folder).testWorker("ops", "ops", "/")
                .file("workers/ops/config/worker.yaml", """
                        path: /
                        runtime:
                          max_procs: 1
                          mem_limit: 64MiB
                          max_requests: 50
                        """)
                .start()) {
            RequestLoop loop = RequestLoop.start(daemon.port(), "/", 2, 200,
                    Duration.ofSeconds(90));
            loop.awaitDone();

            assertThat(loop.failures()).isEmpty();
            assertThat(loop.succeeded()).isEqualTo(400);
            assertThat(loop.bodies()).as("instances that answered").hasSizeGreaterThanOrEqualTo(3);
            assertThat(daemon.logMatches(Pattern.compile("worker recycling .* max_requests=50")))
                    .hasSizeGreaterThanOrEqualTo(2);
        }
    }
}
