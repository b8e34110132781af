package testworker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Worker for the supervisor tests that needs only the JDK. It listens on 127.0.0.1 at
 * {@code WORKER_PORT}, returns 200 for {@code GET /health} and its process id for every other path,
 * and exits when the process named by {@code TQSERVER_PID} exits.
 */
public final class HealthWorker {

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(System.getenv("WORKER_PORT"));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/health", exchange -> respond(exchange, "ok"));
        String pid = "pid " + ProcessHandle.current().pid();
        server.createContext("/", exchange -> respond(exchange, pid));
        server.start();
        System.out.println("test worker listening port=" + port);
        exitWithParent();
    }

    private static void exitWithParent() {
        String parentPid = System.getenv("TQSERVER_PID");
        if (parentPid == null) {
            return;
        }
        Optional<ProcessHandle> parent = ProcessHandle.of(Long.parseLong(parentPid));
        if (parent.isEmpty()) {
            System.exit(3);
        }
        parent.get().onExit().thenRun(() -> System.exit(3));
    }

    private static void respond(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
