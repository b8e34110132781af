package io.tqserver.proxy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tqserver.testing.PatternBytes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.CRC32;

/**
 * A worker for proxy tests: a JDK {@link HttpServer} on 127.0.0.1 and an ephemeral port. The
 * worker target picks the behaviour:
 *
 * <ul>
 *   <li>{@code /download/N} sends N pattern bytes with {@code Content-Length};
 *   <li>{@code /chunked/N} sends N pattern bytes chunked;
 *   <li>{@code /upload} reads the body and returns {@code bytes=N crc=C};
 *   <li>{@code /sleep/MS} waits MS milliseconds before answering;
 *   <li>{@code /status/CODE} answers CODE with no body;
 *   <li>anything else returns the request line and header fields as the body, separated by
 *       CRLF, for {@link ReceivedRequest#fromEcho}.
 * </ul>
 */
final class TestWorker implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Integer> remotePorts = new CopyOnWriteArrayList<>();

    private TestWorker(HttpServer server) {
        this.server = server;
    }

    static TestWorker start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        TestWorker worker = new TestWorker(server);
        server.createContext("/", worker::handle);
        server.setExecutor(worker.executor);
        server.start();
        return worker;
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Returns the client port of each exchange in arrival order; equal ports mean one connection. */
    List<Integer> remotePorts() {
        return remotePorts;
    }

    private void handle(HttpExchange exchange) throws IOException {
        remotePorts.add(exchange.getRemoteAddress().getPort());
        String path = exchange.getRequestURI().getRawPath();
        try (exchange) {
            if (path.startsWith("/download/")) {
                sendPattern(exchange, parseTail(path), false);
            } else if (path.startsWith("/chunked/")) {
                sendPattern(exchange, parseTail(path), true);
            } else if (path.equals("/upload")) {
                receiveUpload(exchange);
            } else if (path.startsWith("/sleep/")) {
                sleep(parseTail(path));
                sendText(exchange, 200, "slept");
            } else if (path.startsWith("/status/")) {
                exchange.sendResponseHeaders((int) parseTail(path), -1);
            } else {
                sendText(exchange, 200, echo(exchange));
            }
        }
    }

    private static long parseTail(String path) {
        return Long.parseLong(path.substring(path.lastIndexOf('/') + 1));
    }

    private static String echo(HttpExchange exchange) {
        StringBuilder text = new StringBuilder()
                .append(exchange.getRequestMethod()).append(' ')
                .append(exchange.getRequestURI().toString()).append(' ')
                .append(exchange.getProtocol());
        for (Map.Entry<String, List<String>> field : exchange.getRequestHeaders().entrySet()) {
            for (String value : field.getValue()) {
                text.append("\r\n").append(field.getKey()).append(": ").append(value);
            }
        }
        return text.toString();
    }

    private static void sendText(HttpExchange exchange, int status, String text)
            throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    private static void sendPattern(HttpExchange exchange, long length, boolean chunked)
            throws IOException {
        exchange.sendResponseHeaders(200, chunked ? 0 : length);
        try (OutputStream out = exchange.getResponseBody()) {
            PatternBytes.write(out, length);
        }
    }

    private static void receiveUpload(HttpExchange exchange) throws IOException {
        CRC32 crc = new CRC32();
        long count = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = exchange.getRequestBody()) {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                crc.update(buffer, 0, read);
                count += read;
            }
        }
        sendText(exchange, 200, "bytes=" + count + " crc=" + crc.getValue());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
