package io.tqserver.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The client read, write and idle timeouts, each short here and the other two long. */
class ClientTimeoutsTest {

    private static final Duration SHORT = Duration.ofMillis(500);
    private static final Duration LONG = Duration.ofSeconds(30);
    /** Maximum wait for the proxy to close a connection once a timeout has passed. */
    private static final int CLOSE_WAIT_MS = 5_000;
    /** Maximum bytes {@link #writeChunksUntilFailure} writes: 1 GiB. */
    private static final long MAX_CHUNKED_BYTES = 1L << 30;

    @Test
    void idleKeepAliveConnectionCloses() throws IOException {
        try (RunningProxy proxy = RunningProxy.startWithClientTimeouts(LONG, LONG, SHORT);
                ScriptedWorker worker = ScriptedWorker.answeringAlways(
                        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
                ClientConnection client = proxy.connect()) {
            proxy.route("/", worker.port());
            client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(client.readResponse().status()).isEqualTo(200);
            long idleSince = System.nanoTime();

            client.setReadTimeout(CLOSE_WAIT_MS);
            int next = client.input().read();

            long idleMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - idleSince);
            assertThat(next).as("end of stream").isEqualTo(-1);
            assertThat(idleMillis).isGreaterThanOrEqualTo(SHORT.toMillis() - 50);
        }
    }

    @Test
    void busyConnectionOutlivesIdleTimeout() throws Exception {
        try (RunningProxy proxy = RunningProxy.startWithClientTimeouts(LONG, LONG, SHORT);
                ScriptedWorker worker = ScriptedWorker.answeringAlways(
                        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
                ClientConnection client = proxy.connect()) {
            proxy.route("/", worker.port());

            // One request every 100 ms for three idle timeouts.
            for (int i = 0; i < 15; i++) {
                client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(client.readResponse().status()).as("request %d", i).isEqualTo(200);
                Thread.sleep(100);
            }
        }
    }

    @Test
    void stalledRequestBodyCloses() throws IOException {
        try (RunningProxy proxy = RunningProxy.startWithClientTimeouts(SHORT, LONG, LONG);
                ScriptedWorker worker = ScriptedWorker.start((connection, index) -> {
                    connection.readHead();
                    connection.input().transferTo(OutputStream.nullOutputStream());
                });
                ClientConnection client = proxy.connect()) {
            proxy.route("/", worker.port());
            client.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n"
                    + "only ten b");

            client.setReadTimeout(CLOSE_WAIT_MS);
            InputStream input = client.input();

            assertThat(input.readAllBytes()).as("bytes before the close").isEmpty();
        }
    }

    @Test
    void clientThatStopsReadingCloses() throws Exception {
        CompletableFuture<Long> workerWrote = new CompletableFuture<>();
        try (RunningProxy proxy = RunningProxy.startWithClientTimeouts(LONG, SHORT, LONG);
                ScriptedWorker worker = ScriptedWorker.start((connection, index) -> {
                    connection.readHead();
                    connection.send("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
                    workerWrote.complete(writeChunksUntilFailure(connection.output()));
                });
                ClientConnection client = proxy.connect()) {
            proxy.route("/", worker.port());
            client.send("GET /large HTTP/1.1\r\nHost: a\r\n\r\n");

            // The client reads nothing, so the proxy's buffers fill and its writes stall.
            long written = workerWrote.get(20, TimeUnit.SECONDS);

            assertThat(written).as("bytes the worker wrote before its connection closed")
                    .isLessThan(MAX_CHUNKED_BYTES);
            client.setReadTimeout(CLOSE_WAIT_MS);
            assertThat(drainUntilClosed(client.input())).as("the connection ended").isTrue();
        }
    }

    /**
     * Writes 64 KiB chunks until a write fails or {@link #MAX_CHUNKED_BYTES} are written.
     *
     * @return the bytes written
     */
    private static long writeChunksUntilFailure(OutputStream out) {
        byte[] chunk = new byte[64 * 1024];
        byte[] header = (Integer.toHexString(chunk.length) + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] end = "\r\n".getBytes(StandardCharsets.US_ASCII);
        long written = 0;
        try {
            while (written < MAX_CHUNKED_BYTES) {
                out.write(header);
                out.write(chunk);
                out.write(end);
                out.flush();
                written += chunk.length;
            }
        } catch (IOException e) {
            return written;
        }
        return written;
    }

    /** Reads until the end of the stream; false when a read times out first. */
    private static boolean drainUntilClosed(InputStream input) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        try {
            while (input.read(buffer) >= 0) {
                // Bytes the proxy had queued before it closed the connection.
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            // A reset after unread bytes also ends the connection.
            return true;
        }
    }
}
