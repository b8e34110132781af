package io.tqserver.control;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tqserver.reload.ConfigReloader;
import io.tqserver.reload.ReloadResult;
import io.tqserver.supervisor.Supervisor;
import io.tqserver.supervisor.SwapResult;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control endpoint that {@code scripts/deploy.sh} calls, bound to 127.0.0.1 only, on
 * {@code server.control_port}. Every response is plain text.
 *
 * <table>
 *   <caption>Requests</caption>
 *   <tr><th>request</th><th>effect</th><th>status</th></tr>
 *   <tr><td>{@code GET /workers}</td><td>one line per worker: state, pid, port</td>
 *       <td>200</td></tr>
 *   <tr><td>{@code POST /workers/{name}/swap}</td><td>reloads the worker's
 *       {@code worker.yaml}, swaps in a new instance and returns once it is ready or failed
 *       </td><td>200 swapped; 404 unknown worker; 422 invalid worker.yaml; 502 the new
 *       instance failed its build or health check, the old one still serves</td></tr>
 *   <tr><td>{@code POST /reload}</td><td>what SIGHUP does, without swapping unchanged workers
 *       </td><td>200 applied; 422 a file was rejected</td></tr>
 * </table>
 */
public final class ControlServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ControlServer.class);

    /** Maximum attempts at a swap, which a concurrent one, such as a file change's, supersedes. */
    private static final int MAX_SWAP_ATTEMPTS = 3;

    private final HttpServer server;
    private final ExecutorService handlers;
    private final Supervisor supervisor;
    private final ConfigReloader reloader;

    private ControlServer(HttpServer server, Supervisor supervisor, ConfigReloader reloader) {
        this.server = server;
        this.supervisor = supervisor;
        this.reloader = reloader;
        this.handlers = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "control");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Binds 127.0.0.1:{@code port} and starts serving.
     *
     * @throws IOException when the port cannot be bound
     */
    public static ControlServer start(int port, Supervisor supervisor, ConfigReloader reloader)
            throws IOException {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        HttpServer server = HttpServer.create(address, 16);
        ControlServer control = new ControlServer(server, supervisor, reloader);
        server.setExecutor(control.handlers);
        server.createContext("/", control::handle);
        server.start();
        log.info("control endpoint listening address={}", server.getAddress());
        return control;
    }

    /** Returns the port the endpoint listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            List<String> segments = List.of(path.replaceAll("^/+|/+$", "").split("/"));
            if (method.equals("GET") && path.equals("/workers")) {
                respond(exchange, 200, String.join("\n", supervisor.describeWorkers()));
            } else if (method.equals("POST") && path.equals("/reload")) {
                reload(exchange);
            } else if (method.equals("POST") && segments.size() == 3
                    && segments.get(0).equals("workers") && segments.get(2).equals("swap")) {
                swap(exchange, segments.get(1));
            } else {
                respond(exchange, 404, "not found: " + method + " " + path
                        + " (expected: GET /workers, POST /workers/{name}/swap, POST /reload)");
            }
        } catch (RuntimeException e) {
            log.error("control request failed uri={}", exchange.getRequestURI(), e);
            respond(exchange, 500, "failed: " + e);
        }
    }

    private void swap(HttpExchange exchange, String worker) throws IOException {
        log.info("control swap requested worker={}", worker);
        SwapResult result = SwapResult.SUPERSEDED;
        for (int attempt = 0; attempt < MAX_SWAP_ATTEMPTS
                && result == SwapResult.SUPERSEDED; attempt++) {
            try {
                result = reloader.reloadWorker(worker).join();
            } catch (CompletionException e) {
                Throwable cause = e.getCause();
                int status = cause instanceof IllegalArgumentException ? 404 : 422;
                respond(exchange, status, String.valueOf(cause.getMessage()));
                return;
            }
        }
        int status = result == SwapResult.SWAPPED ? 200 : 502;
        log.info("control swap finished worker={} result={}", worker, result);
        respond(exchange, status, result.name());
    }

    private void reload(HttpExchange exchange) throws IOException {
        ReloadResult result = reloader.reload(false).join();
        List<String> lines = new ArrayList<>(result.errors());
        for (Map.Entry<String, CompletableFuture<SwapResult>> swap
                : result.swaps().entrySet()) {
            String outcome = swap.getValue()
                    .handle((swapped, error) -> error == null ? swapped.name() : error.toString())
                    .join();
            lines.add("worker=" + swap.getKey() + " " + outcome);
        }
        respond(exchange, result.accepted() ? 200 : 422, String.join("\n", lines));
    }

    private static void respond(HttpExchange exchange, int status, String body)
            throws IOException {
        byte[] bytes = (body + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }
}
