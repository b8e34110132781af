package io.tqserver.runtimes;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sample api worker on real Bun, behind the real daemon started as its own process. */
class BunWorkerIT {

    private static final String API_CONFIG = """
            path: /api
            type: bun
            bun:
              entrypoint: src/index.ts
            runtime:
              mem_limit: 128MiB
            """;

    @TempDir
    Path root;

    @Test
    void crudRoundTripThroughProxy() throws Exception {
        TestLayout layout = apiLayout();
        try (DaemonProcess daemon = DaemonProcess.start(layout)) {
            HttpProbe http = new HttpProbe(layout.frontPort());
            assertThat(http.awaitBody("/api/health", "\"ok\"", Duration.ofSeconds(60)))
                    .as("api ready; daemon output:%n%s", daemon.output()).isTrue();

            HttpResponse<String> created = http.send("POST", "/api/items", "{\"name\":\"pen\"}");
            assertThat(created.statusCode()).isEqualTo(201);
            assertThat(created.body()).isEqualTo("{\"name\":\"pen\",\"id\":1}");

            HttpResponse<String> read = http.get("/api/items/1");
            assertThat(read.statusCode()).isEqualTo(200);
            assertThat(read.body()).isEqualTo("{\"name\":\"pen\",\"id\":1}");

            HttpResponse<String> updated = http.send("PUT", "/api/items/1", "{\"name\":\"ink\"}");
            assertThat(updated.statusCode()).isEqualTo(200);
            assertThat(http.get("/api/items").body()).isEqualTo("[{\"name\":\"ink\",\"id\":1}]");

            HttpResponse<String> deleted = http.send("DELETE", "/api/items/1", null);
            assertThat(deleted.statusCode()).isEqualTo(204);
            assertThat(http.get("/api/items/1").statusCode()).isEqualTo(404);

            HttpResponse<String> invalid = http.send("POST", "/api/items", "[1]");
            assertThat(invalid.statusCode()).isEqualTo(400);
            assertThat(http.get("/api").body()).contains("TQServer sample API on Bun");
        }
    }

    @Test
    void noBunOrphanAfterDaemonKill() throws Exception {
        TestLayout layout = apiLayout();
        try (DaemonProcess daemon = DaemonProcess.start(layout)) {
            HttpProbe http = new HttpProbe(layout.frontPort());
            assertThat(http.awaitBody("/api/health", "\"ok\"", Duration.ofSeconds(60)))
                    .as("api ready; daemon output:%n%s", daemon.output()).isTrue();
            List<Long> bunPids = daemon.descendants().stream()
                    .filter(handle -> handle.info().command().orElse("").contains("bun"))
                    .map(ProcessHandle::pid)
                    .toList();
            assertThat(bunPids).as("bun processes of the daemon").isNotEmpty();

            daemon.kill();
            long killedNanos = System.nanoTime();
            for (long pid : bunPids) {
                assertThat(ProcessStates.awaitExit(pid, Duration.ofSeconds(10)))
                        .as("bun pid %d exited after the daemon was killed", pid).isTrue();
            }
            System.out.printf("bun workers exited %d ms after the daemon was killed%n",
                    Duration.ofNanos(System.nanoTime() - killedNanos).toMillis());
        }
    }

    private TestLayout apiLayout() throws Exception {
        TestLayout layout = TestLayout.create(root);
        layout.copyWorker("api");
        layout.writeWorkerConfig("api", API_CONFIG);
        assertThat(Files.isRegularFile(layout.worker("api").resolve("src/index.ts"))).isTrue();
        return layout;
    }
}
