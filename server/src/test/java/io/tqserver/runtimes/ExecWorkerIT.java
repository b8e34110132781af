package io.tqserver.runtimes;

import static org.assertj.core.api.Assertions.assertThat;

import io.tqserver.supervisor.SwapResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Python worker of {@code type: exec}, which follows the worker contract. */
class ExecWorkerIT {

    private static final String CONFIG = """
            path: /py
            type: exec
            runtime:
              max_procs: 1
              mem_limit: 64MiB
            exec:
              build: [python3, -m, py_compile, server.py]
              command: [python3, server.py]
            """;

    @TempDir
    Path root;

    @Test
    void routesThroughDaemon() throws Exception {
        TestLayout layout = pythonLayout();
        try (DaemonProcess daemon = DaemonProcess.start(layout)) {
            HttpProbe http = new HttpProbe(layout.frontPort());
            assertThat(http.awaitBody("/py/health", "\"ok\"", Duration.ofSeconds(60)))
                    .as("py ready; daemon output:%n%s", daemon.output()).isTrue();

            assertThat(http.get("/py/").body())
                    .isEqualTo("{\"message\": \"python v1\", \"route\": \"/py\"}");
            assertThat(http.get("/py/env").body()).isEqualTo("{\"WORKER_MAX_PROCS\": \"1\","
                    + " \"WORKER_MEM_LIMIT_BYTES\": \"67108864\", \"GOMAXPROCS\": \"1\","
                    + " \"GOMEMLIMIT\": \"67108864\"}");
            assertThat(http.get("/py/missing").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void swapServesNewVersion() throws Exception {
        TestLayout layout = pythonLayout();
        Path script = layout.worker("py").resolve("server.py");
        try (InProcessServer server = InProcessServer.start(layout)) {
            HttpProbe http = new HttpProbe(server.port());
            assertThat(http.get("/py/").body()).contains("python v1");

            Files.writeString(script, Files.readString(script)
                    .replace("VERSION = \"v1\"", "VERSION = \"v2\""));
            assertThat(server.swap("py")).isEqualTo(SwapResult.SWAPPED);

            assertThat(http.get("/py/").body()).contains("python v2");
        }
    }

    @Test
    void failedBuildKeepsRunningInstance() throws Exception {
        TestLayout layout = pythonLayout();
        Path script = layout.worker("py").resolve("server.py");
        try (InProcessServer server = InProcessServer.start(layout)) {
            HttpProbe http = new HttpProbe(server.port());
            Files.writeString(script, "def broken(:\n");

            assertThat(server.swap("py")).isEqualTo(SwapResult.BUILD_FAILED);

            assertThat(http.get("/py/").body()).contains("python v1");
        }
    }

    private TestLayout pythonLayout() throws IOException {
        TestLayout layout = TestLayout.create(root);
        layout.writeWorkerConfig("py", CONFIG);
        try (InputStream script = getClass().getResourceAsStream("/exec-worker/server.py")) {
            Files.copy(script, layout.worker("py").resolve("server.py"));
        }
        return layout;
    }
}
