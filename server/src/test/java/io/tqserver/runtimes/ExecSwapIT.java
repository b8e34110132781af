package io.tqserver.runtimes;

import static org.assertj.core.api.Assertions.assertThat;

import io.tqserver.supervisor.SwapResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Swaps of a Python worker of {@code type: exec}, the test worker {@code e2e/workers/python},
 * through the proxy and supervisor in the test's JVM.
 */
class ExecSwapIT {

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
    void failedBuildShowsErrorInDev() throws Exception {
        TestLayout layout = pythonLayout();
        Path script = layout.worker("py").resolve("server.py");
        try (InProcessServer server = InProcessServer.start(layout)) {
            HttpProbe http = new HttpProbe(server.port());
            Files.writeString(script, "def broken(:\n");

            assertThat(server.swap("py")).isEqualTo(SwapResult.BUILD_FAILED);

            // In dev the route shows the build error while the old process keeps running.
            var response = http.get("/py/");
            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(response.body()).contains("SyntaxError");
        }
    }

    private TestLayout pythonLayout() throws IOException {
        TestLayout layout = TestLayout.create(root);
        layout.writeWorkerConfig("py", CONFIG);
        try (InputStream script = getClass().getResourceAsStream("/e2e/workers/python/server.py")) {
            Files.copy(script, layout.worker("py").resolve("server.py"));
        }
        return layout;
    }
}
