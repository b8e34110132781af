import io.tqserver.config.RunMode;
import io.tqserver.config.ServerConfig;
import io.tqserver.config.ServerConfigLoader;
import io.tqserver.proxy.ProxyServer;
import io.tqserver.routing.Router;
import io.tqserver.supervisor.Supervisor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Measures Bun reload time: from saving a new GREETING in workers/api/src/index.ts to the first
 * response of GET /api/ that contains it. Run by bench/bun.sh as a single-file program on the
 * TQServer jar's classpath.
 *
 * <p>Modes: {@code watch PORT} edits the file and polls a running daemon, whose dev-mode file
 * watcher must trigger the swap. {@code swap} starts the proxy and supervisor in this JVM and
 * calls {@link Supervisor#swap} right after each save, so it leaves out change detection.
 *
 * <p>Arguments: {@code LAYOUT_ROOT EDITS watch PORT} or {@code LAYOUT_ROOT EDITS swap}. Prints
 * one line: {@code p50_ms=... p95_ms=... max_ms=... edits=...}, or exits with 1 when an edit
 * is not served within 10 s.
 */
public final class BunReloadBench {

    private static final Duration EDIT_TIMEOUT = Duration.ofSeconds(10);

    private static final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        int edits = Integer.parseInt(args[1]);
        boolean swap = args[2].equals("swap");
        Path source = root.resolve("workers/api/src/index.ts");

        ProxyServer proxy = null;
        Supervisor supervisor = null;
        int port;
        if (swap) {
            ServerConfig config = ServerConfigLoader.load(root.resolve("config/server.yaml"));
            Router router = new Router();
            proxy = new ProxyServer(config.server(), RunMode.DEV, router);
            proxy.start();
            supervisor = new Supervisor(config, RunMode.DEV, router, Clock.systemUTC());
            supervisor.start();
            port = proxy.port();
        } else {
            port = Integer.parseInt(args[3]);
        }

        // The first requests of a JVM load the HTTP client's classes, which is not reload time.
        warmUp(port);
        List<Long> millis = new ArrayList<>();
        try {
            for (int edit = 1; edit <= edits; edit++) {
                String greeting = "reload " + edit + " at " + System.nanoTime();
                long startNanos = System.nanoTime();
                saveGreeting(source, greeting);
                if (swap) {
                    supervisor.swap("api");
                }
                if (!awaitGreeting(port, greeting, startNanos + EDIT_TIMEOUT.toNanos())) {
                    System.out.println("edit " + edit + " not served within "
                            + EDIT_TIMEOUT.toSeconds() + " s");
                    System.exit(1);
                }
                millis.add((System.nanoTime() - startNanos) / 1_000_000);
                System.err.println("edit " + edit + " ms=" + millis.get(millis.size() - 1));
                // Lets the old instance drain, so edits do not overlap.
                Thread.sleep(300);
            }
        } finally {
            if (proxy != null) {
                proxy.stop(Duration.ofSeconds(1));
                supervisor.stop();
            }
        }
        Collections.sort(millis);
        System.out.printf("p50_ms=%d p95_ms=%d max_ms=%d edits=%d%n", percentile(millis, 50),
                percentile(millis, 95), millis.get(millis.size() - 1), millis.size());
        System.exit(0);
    }

    private static void warmUp(int port) throws InterruptedException {
        for (int request = 0; request < 50; request++) {
            awaitGreeting(port, "", System.nanoTime() + EDIT_TIMEOUT.toNanos());
        }
    }

    private static void saveGreeting(Path source, String greeting) throws IOException {
        String text = Files.readString(source);
        String updated = text.replaceFirst("const GREETING = \"[^\"]*\";",
                "const GREETING = \"" + greeting + "\";");
        if (updated.equals(text)) {
            throw new IllegalStateException("const GREETING not found in " + source);
        }
        Files.writeString(source, updated);
    }

    private static boolean awaitGreeting(int port, String greeting, long deadlineNanos)
            throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/api/"))
                .timeout(Duration.ofSeconds(2))
                .build();
        while (System.nanoTime() - deadlineNanos < 0) {
            try {
                HttpResponse<String> response =
                        client.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.body().contains(greeting)) {
                    return true;
                }
            } catch (IOException e) {
                // The route may be between instances; poll again.
            }
            Thread.sleep(2);
        }
        return false;
    }

    /** Returns the nearest-rank percentile of sorted values. */
    private static long percentile(List<Long> sorted, int percent) {
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}
