package io.tqserver.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample {@code api} worker on real Bun, from {@code scripts/install-bun.sh}, served
 * through a real {@code tqserver}.
 */
class BunWorkerIT {

    @TempDir
    Path folder;

    @Test
    void crudRoundTripThroughProxy() throws Exception {
        try (RunningDaemon daemon = apiDaemon()) {
            int port = daemon.port();

            HttpResponse created = request(port, "POST", "/api/items", "{\"name\":\"pen\"}");
            assertThat(created.status()).isEqualTo(201);
            assertThat(created.bodyText()).isEqualTo("{\"name\":\"pen\",\"id\":1}");

            HttpResponse read = HttpConnection.get(port, "/api/items/1");
            assertThat(read.status()).isEqualTo(200);
            assertThat(read.bodyText()).isEqualTo("{\"name\":\"pen\",\"id\":1}");

            HttpResponse updated = request(port, "PUT", "/api/items/1", "{\"name\":\"ink\"}");
            assertThat(updated.status()).isEqualTo(200);
            assertThat(HttpConnection.get(port, "/api/items").bodyText())
                    .isEqualTo("[{\"name\":\"ink\",\"id\":1}]");

            HttpResponse deleted = request(port, "DELETE", "/api/items/1", null);
            assertThat(deleted.status()).isEqualTo(204);
            assertThat(HttpConnection.get(port, "/api/items/1").status()).isEqualTo(404);

            HttpResponse invalid = request(port, "POST", "/api/items", "[1]");
            assertThat(invalid.status()).isEqualTo(400);
            assertThat(HttpConnection.get(port, "/api").bodyText())
                    .contains("TQServer sample API on Bun");
        }
    }

    @Test
    void savedSourceIsServedAfterSwap() throws Exception {
        try (RunningDaemon daemon = apiDaemon()) {
            Path source = folder.resolve("workers/api/src/index.ts");
            String text = Files.readString(source);
            String edited = text.replaceFirst("const GREETING = \"[^\"]*\";",
                    "const GREETING = \"Greeting after save\";");
            assertThat(edited).as("GREETING in %s", source).isNotEqualTo(text);

            Files.writeString(source, edited);

            assertThat(awaitBody(daemon.port(), "/api", "Greeting after save"))
                    .as("new greeting served; daemon output:%n%s", daemon.stdout()).isTrue();
            // One bun process is left once the old instance has drained.
            daemon.awaitWorkerPids(1);
        }
    }

    @Test
    void noBunOrphanAfterDaemonKill() throws Exception {
        try (RunningDaemon daemon = apiDaemon()) {
            List<Long> workers = daemon.workerPids();
            assertThat(workers).as("bun processes of the daemon").isNotEmpty();

            daemon.kill();
            long killedNanos = System.nanoTime();

            assertThat(daemon.awaitWorkersGone(Duration.ofSeconds(10)))
                    .as("bun processes still running after the daemon got SIGKILL").isEmpty();
            System.out.printf("bun workers exited %d ms after the daemon got SIGKILL%n",
                    Duration.ofNanos(System.nanoTime() - killedNanos).toMillis());
        }
    }

    private RunningDaemon apiDaemon() throws IOException {
        Path bun = TqServerHome.root().resolve("tools/bun/node_modules/.bin/bun");
        assertThat(Files.isExecutable(bun)).as("%s, from scripts/install-bun.sh", bun).isTrue();
        return DaemonFolder.at(folder)
                .repositoryFolder("pkg-worker-ts")
                .sampleWorker("api")
                .file("workers/api/config/worker.yaml", """
                        path: /api
                        type: bun
                        bun:
                          binary: %s
                          entrypoint: src/index.ts
                        runtime:
                          mem_limit: 128MiB
                        """.formatted(bun))
                .start();
    }

    /** Polls {@code target} for up to 30 s until its body contains {@code text}. */
    private static boolean awaitBody(int port, String target, String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (HttpConnection.get(port, target).bodyText().contains(text)) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    /** Sends one request with a JSON body, or none, on a new connection. */
    static HttpResponse request(int port, String method, String target, String body)
            throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        try (HttpConnection connection = HttpConnection.open(port)) {
            connection.send(method + " " + target + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:" + port + "\r\n"
                    + "Content-Type: application/json\r\n"
                    + "Content-Length: " + bytes.length + "\r\n"
                    + "Connection: close\r\n\r\n");
            connection.output().write(bytes);
            connection.output().flush();
            return connection.readResponse();
        }
    }
}
