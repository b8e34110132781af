package io.tqserver.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The health policy with checks every 200 ms that time out after 150 ms: an instance that turns
 * unhealthy is replaced, one that is only slow under load is kept.
 */
class HealthPolicyIT {

    @TempDir
    Path folder;

    private DaemonFolder daemonFolder() {
        return DaemonFolder.at(folder).testWorker("ops", "ops", "/")
                .setting("health", "interval_ms", 200)
                .setting("health", "timeout_ms", 150)
                .setting("health", "unhealthy_threshold", 2)
                .setting("health", "healthy_threshold", 1);
    }

    @Test
    void unhealthyInstanceReplaced() throws Exception {
        try (RunningDaemon daemon = daemonFolder().start()) {
            String before = HttpConnection.get(daemon.port(), "/").bodyText();
            RequestLoop loop = RequestLoop.start(daemon.port(), "/", 1, 2_000,
                    Duration.ofSeconds(60));

            assertThat(HttpConnection.get(daemon.port(), "/unhealthy").status()).isEqualTo(200);
            daemon.awaitLog(Pattern.compile("worker unhealthy, replacing it"));
            daemon.awaitLog(Pattern.compile("worker swapped worker=ops"));
            loop.close();

            assertThat(HttpConnection.get(daemon.port(), "/").bodyText()).isNotEqualTo(before);
            assertThat(loop.failures()).isEmpty();
        }
    }

    @Test
    void slowUnderLoadNotReplaced() throws Exception {
        try (RunningDaemon daemon = daemonFolder().start()) {
            String before = HttpConnection.get(daemon.port(), "/").bodyText();

            // Four clients on a worker with two threads keep the health check waiting in line.
            RequestLoop loop = RequestLoop.start(daemon.port(), "/slow?ms=200", 4, 15,
                    Duration.ofSeconds(30));
            loop.awaitDone();

            assertThat(loop.failures()).isEmpty();
            assertThat(loop.succeeded()).isEqualTo(60);
            assertThat(daemon.logMatches(Pattern.compile("worker unhealthy"))).isEmpty();
            assertThat(HttpConnection.get(daemon.port(), "/").bodyText()).isEqualTo(before);
        }
    }
}
