package ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * Worker for the operations tests that needs only the JDK and, unlike workers built on
 * pkg-worker, keeps running when its TQServer is killed. Two threads serve every request, so
 * slow requests make the health check wait in the queue.
 *
 * <ul>
 *   <li>{@code GET /health}: 200, or 503 once {@code /unhealthy} was requested</li>
 *   <li>{@code GET /unhealthy}: makes later health checks fail</li>
 *   <li>{@code GET /slow?ms=N}: answers after N milliseconds</li>
 *   <li>any other path: {@code pid N version V}, V from the {@code VERSION} constant</li>
 * </ul>
 */
public final class OpsWorker {

    static final String VERSION = "1";

    private static volatile boolean unhealthy;

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(System.getenv("WORKER_PORT"));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/health", exchange ->
                respond(exchange, unhealthy ? 503 : 200, unhealthy ? "unhealthy" : "ok"));
        server.createContext("/unhealthy", exchange -> {
            unhealthy = true;
            respond(exchange, 200, "unhealthy from now on");
        });
        server.createContext("/slow", OpsWorker::slow);
        String identity = "pid " + ProcessHandle.current().pid() + " version " + VERSION;
        server.createContext("/", exchange -> respond(exchange, 200, identity));
        server.start();
        System.out.println("ops worker listening port=" + port + " version=" + VERSION);
    }

    private static void slow(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getQuery();
        long millis = query != null && query.startsWith("ms=")
                ? Long.parseLong(query.substring(3)) : 100;
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        respond(exchange, 200, "slow " + millis);
    }

    private static void respond(HttpExchange exchange, int status, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
