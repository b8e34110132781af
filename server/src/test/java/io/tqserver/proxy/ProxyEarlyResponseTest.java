package io.tqserver.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.tqserver.testing.PatternBytes;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Checks what happens to a request body that the worker does not wait for: the
 * {@code 100 Continue} fallback when the client sends its body early, and the bounded discard
 * of the body that follows a final response sent before the body's end.
 */
@Timeout(20)
class ProxyEarlyResponseTest {

    private static final String UNAUTHORIZED =
            "HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n";

    @Test
    void sendsNoContinueAfterBodyArrived() throws IOException {
        try (RunningProxy proxy = RunningProxy.start();
                ScriptedWorker worker = ScriptedWorker.start((connection, index) -> {
                    while (connection.readRequest() != null) {
                        // Longer than the 1 s the proxy waits before its own 100 Continue.
                        sleep(1_500);
                        connection.send("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
                    }
                });
                ClientConnection client = proxy.connect()) {
            proxy.route("/", worker.port());

            client.send("POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
                    + "Expect: 100-continue\r\n\r\nhello");
            RawResponse first = client.readResponse();
            client.send("GET /next HTTP/1.1\r\nHost: a\r\n\r\n");
            RawResponse second = client.readResponse();

            assertThat(first.status()).isEqualTo(200);
            assertThat(first.bodyText()).isEqualTo("ok");
            assertThat(second.status()).isEqualTo(200);
            assertThat(worker.requests()).hasSize(2);
            assertThat(new String(worker.requests().get(0).body(), StandardCharsets.US_ASCII))
                    .isEqualTo("hello");
        }
    }

    @Test
    void keepsReadingBodySentWithoutWaitingForContinue() throws IOException {
        try (RunningProxy proxy = RunningProxy.start();
                ScriptedWorker worker = ScriptedWorker.start((connection, index) -> {
                    connection.readHead();
                    HttpWire.readFixed(connection.input(), 1_000);
                    connection.send("HTTP/1.1 417 Expectation Failed\r\n"
                            + "Content-Length: 0\r\n\r\n");
                    connection.input().transferTo(OutputStream.nullOutputStream());
                });
                ClientConnection client = proxy.connect()) {
            proxy.route("/", worker.port());

            client.send("POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 2000\r\n"
                    + "Expect: 100-continue\r\n\r\n");
            PatternBytes.write(client.output(), 1_000);
            RawResponse response = client.readResponse();
            client.setReadTimeout(300);
            boolean closedBeforeBodyEnd = client.isClosedByPeer();
            PatternBytes.write(client.output(), 1_000);
            client.setReadTimeout(ClientConnection.READ_TIMEOUT_MS);

            assertThat(response.status()).isEqualTo(417);
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(closedBeforeBodyEnd).isFalse();
            assertThat(client.isClosedByPeer()).isTrue();
        }
    }

    @Test
    void closesWithheldBodyRightAfterResponse() throws IOException {
        try (RunningProxy proxy = RunningProxy.start();
                ScriptedWorker worker = ScriptedWorker.start((connection, index) -> {
                    connection.readHead();
                    connection.send("HTTP/1.1 417 Expectation Failed\r\n"
                            + "Content-Length: 0\r\n\r\n");
                    connection.input().transferTo(OutputStream.nullOutputStream());
                });
                ClientConnection client = proxy.connect()) {
            proxy.route("/", worker.port());

            client.send("POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 2000\r\n"
                    + "Expect: 100-continue\r\n\r\n");
            RawResponse response = client.readResponse();

            assertThat(response.status()).isEqualTo(417);
            assertThat(client.isClosedByPeer()).isTrue();
        }
    }

    @Test
    void cutsOffBodyBeyondDiscardLimit() throws IOException {
        long attempted = 64L * 1024 * 1024;
        try (RunningProxy proxy = RunningProxy.start();
                ScriptedWorker worker = ScriptedWorker.start((connection, index) -> {
                    connection.readHead();
                    connection.send(UNAUTHORIZED);
                    connection.input().transferTo(OutputStream.nullOutputStream());
                });
                ClientConnection client = proxy.connect()) {
            proxy.route("/", worker.port());

            client.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: " + attempted
                    + "\r\n\r\n");
            RawResponse response = client.readResponse();
            long written = writeUntilCutOff(client.output(), attempted, 64 * 1024, 0);

            assertThat(response.status()).isEqualTo(401);
            // Loopback socket buffers take a few MiB beyond what the proxy reads.
            assertThat(written).isLessThan(attempted);
            assertThat(written).isGreaterThanOrEqualTo(FrontendHandler.MAX_DISCARDED_BODY_BYTES);
        }
    }

    @Test
    void cutsOffBodyTrickledPastReadTimeout() throws IOException {
        long declared = 1_000_000;
        try (RunningProxy proxy = RunningProxy.startWithReadTimeout(Duration.ofSeconds(1));
                ScriptedWorker worker = ScriptedWorker.start((connection, index) -> {
                    connection.readHead();
                    connection.send(UNAUTHORIZED);
                    connection.input().transferTo(OutputStream.nullOutputStream());
                });
                ClientConnection client = proxy.connect()) {
            proxy.route("/", worker.port());

            client.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: " + declared
                    + "\r\n\r\n");
            RawResponse response = client.readResponse();
            // 100 bytes every 50 ms for up to 10 s: 20,000 bytes, far below the byte limit, and
            // each piece comes sooner than the read timeout.
            long written = writeUntilCutOff(client.output(), 20_000, 100, 50);

            assertThat(response.status()).isEqualTo(401);
            assertThat(written).isLessThan(20_000);
        }
    }

    /**
     * Writes pattern bytes in pieces of {@code pieceBytes}, pausing {@code pauseMillis} after
     * each, until {@code maxBytes} are written or a write fails because the proxy closed the
     * connection.
     *
     * @return the bytes written before the failure, or {@code maxBytes} when none failed
     */
    private static long writeUntilCutOff(
            OutputStream out, long maxBytes, int pieceBytes, long pauseMillis) {
        long written = 0;
        try {
            while (written < maxBytes) {
                PatternBytes.write(out, pieceBytes);
                out.flush();
                written += pieceBytes;
                if (pauseMillis > 0) {
                    sleep(pauseMillis);
                }
            }
        } catch (IOException e) {
            return written;
        }
        return written;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
