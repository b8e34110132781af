package io.tqserver.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A daemon with a worker at {@code /api} only, so other paths match no route. */
class NoRouteIT {

    @TempDir
    static Path folder;

    private static RunningDaemon daemon;

    @BeforeAll
    static void startDaemon() throws Exception {
        daemon = DaemonFolder.at(folder).testWorker("echo", "api", "/api").start();
    }

    @AfterAll
    static void stopDaemon() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/apix", "/other/api", "/favicon.ico"})
    void unmatchedPathReturns404(String target) throws Exception {
        HttpResponse response = HttpConnection.get(daemon.port(), target);

        assertThat(response.status()).isEqualTo(404);
    }

    @Test
    void matchedPathStillServed() throws Exception {
        HttpResponse response = HttpConnection.get(daemon.port(), "/api/x");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.echoed().path()).isEqualTo("/x");
    }
}
