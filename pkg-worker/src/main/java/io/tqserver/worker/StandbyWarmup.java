package io.tqserver.worker;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Runs the request path of a {@link WorkerRuntime} in a standby JVM before it receives a
 * worker, so that the classes of pkg-worker and of the JDK's HTTP server are loaded and their
 * hot methods compiled by the time the worker starts. It serves requests on a throwaway
 * runtime at an ephemeral loopback port, never on the port of the worker.
 */
final class StandbyWarmup {

    /**
     * Requests sent over one kept-alive connection. On Java 17 on 2 loaded cores, the first
     * request after a handoff took about 250 ms without a warm-up and about 30 ms after 20 or
     * more requests. More requests only add CPU time while the next build may be compiling.
     */
    static final int REQUESTS = 50;

    /** Time each connect and read may take, so a stuck warm-up cannot block the standby. */
    private static final int TIMEOUT_MILLIS = 2_000;

    private static final String ROUTE = "/warmup";

    private StandbyWarmup() {
    }

    /**
     * Starts a runtime on port 0, sends it {@link #REQUESTS} requests and stops it.
     *
     * @throws IOException when the runtime cannot listen or a request fails
     */
    static void run() throws IOException {
        WorkerRuntime runtime = WorkerRuntime.fromEnvironment(Map.of(
                "WORKER_PORT", "0",
                "WORKER_NAME", "standby-warmup",
                "WORKER_MODE", System.getenv().getOrDefault("WORKER_MODE", "production"),
                "WORKER_THREADS", "2"));
        runtime.get(ROUTE, (request, response) -> response.contentType("text/plain")
                .send("warm " + request.queryParam("n", "")));
        runtime.post(ROUTE, (request, response) -> response.send(request.bodyAsString()));
        runtime.start();
        try {
            sendRequests(runtime.port());
        } finally {
            runtime.stop(Duration.ZERO);
        }
    }

    private static void sendRequests(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                    TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            for (int i = 0; i < REQUESTS; i++) {
                String request = i % 2 == 0
                        ? "GET " + ROUTE + "?n=" + i + " HTTP/1.1\r\nHost: warmup\r\n\r\n"
                        : "POST " + ROUTE + " HTTP/1.1\r\nHost: warmup\r\n"
                                + "Content-Type: text/plain\r\nContent-Length: 4\r\n\r\nbody";
                out.write(request.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                readResponse(in);
            }
        }
    }

    /** Reads one response with a {@code Content-Length} body and discards it. */
    private static void readResponse(InputStream in) throws IOException {
        long contentLength = -1;
        String line;
        while (!(line = readLine(in)).isEmpty()) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).equalsIgnoreCase("content-length")) {
                contentLength = Long.parseLong(line.substring(colon + 1).trim());
            }
        }
        if (contentLength < 0) {
            throw new IOException("warm-up response without Content-Length");
        }
        in.skipNBytes(contentLength);
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int next;
        while ((next = in.read()) != '\n') {
            if (next < 0) {
                throw new IOException("warm-up connection closed mid-response");
            }
            if (next != '\r') {
                line.append((char) next);
            }
        }
        return line.toString();
    }
}
