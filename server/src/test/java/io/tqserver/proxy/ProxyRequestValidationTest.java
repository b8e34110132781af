package io.tqserver.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.tqserver.config.ServerConfig;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sends malformed, oversized, ambiguous and slow requests and checks the status the proxy
 * answers with, that it closes the connection, and that no byte reaches the worker.
 */
@Timeout(15)
class ProxyRequestValidationTest {

    private static final String OK_RESPONSE = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
    private static final int MAX_TARGET_BYTES = 256;
    private static final int MAX_HEADER_BYTES = 2048;

    private RunningProxy proxy;
    private ScriptedWorker worker;

    @BeforeEach
    void startProxyAndWorker() throws IOException {
        ServerConfig.ProxyLimits defaults = ServerConfig.ProxyLimits.DEFAULTS;
        proxy = RunningProxy.start(new ServerConfig.ProxyLimits(MAX_TARGET_BYTES,
                MAX_HEADER_BYTES, Duration.ofSeconds(1), defaults.connectTimeout(),
                defaults.workerIdleTimeout(), defaults.requestTimeout(),
                defaults.tunnelIdleTimeout()));
        worker = ScriptedWorker.answeringAlways(OK_RESPONSE);
        proxy.route("/", worker.port());
    }

    @AfterEach
    void stopAll() throws IOException {
        proxy.close();
        worker.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "GET /\r\n\r\n",
        "GET / HTTP/1.1 extra\r\nHost: a\r\n\r\n",
        "G@T / HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET / FOO/1.1\r\nHost: a\r\n\r\n",
        "GET / HTTP/1.1\r\nHost : a\r\n\r\n",
        "GET / HTTP/1.1\nHost: a\n\n",
        "GET / HTTP/1.1\r\nNo-Colon\r\n\r\n",
        "GET / HTTP/1.1\r\nX: a\u0000b\r\nHost: a\r\n\r\n",
        "GET * HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET /a\u0000b HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET /a\u007fb HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET /\u00c3\u00a9 HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET http://user@a/ HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET http://a@127.0.0.1:1@b/x HTTP/1.1\r\nHost: a\r\n\r\n",
    })
    void rejectsInvalidRequestLineOrHeader(String request) throws IOException {
        assertRejected(request, 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/2.0", "HTTP/1.2", "HTTP/3.0", "HTTP/0.9"})
    void rejectsUnsupportedVersion(String version) throws IOException {
        assertRejected("GET / " + version + "\r\nHost: a\r\n\r\n", 505);
    }

    @Test
    void rejectsTooLongTarget() throws IOException {
        String target = "/" + "a".repeat(MAX_TARGET_BYTES);

        assertRejected("GET " + target + " HTTP/1.1\r\nHost: a\r\n\r\n", 414);
    }

    @Test
    void rejectsTargetFarBeyondLineLimit() throws IOException {
        String target = "/" + "a".repeat(MAX_TARGET_BYTES * 8);

        assertRejected("GET " + target + " HTTP/1.1\r\nHost: a\r\n\r\n", 414);
    }

    @Test
    void servesTargetAtLimit() throws IOException {
        String target = "/" + "a".repeat(MAX_TARGET_BYTES - 1);
        try (ClientConnection client = proxy.connect()) {
            client.send("GET " + target + " HTTP/1.1\r\nHost: a\r\n\r\n");

            assertThat(client.readResponse().status()).isEqualTo(200);
        }
    }

    @Test
    void rejectsTooLargeHeaderBlock() throws IOException {
        String filler = "X-Filler: " + "b".repeat(MAX_HEADER_BYTES) + "\r\n";

        assertRejected("GET / HTTP/1.1\r\nHost: a\r\n" + filler + "\r\n", 431);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
        "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n",
        "Content-Length: 5\r\nContent-Length: 6\r\n",
        "Content-Length: 5\r\nContent-Length: 5\r\n",
        "Content-Length: 5, 5\r\n",
        "Content-Length: +5\r\n",
        "Content-Length: 0x5\r\n",
        "Transfer-Encoding: chunked, identity\r\n",
        "Transfer-Encoding: gzip, chunked\r\n",
        "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
        "Transfer-Encoding: identity\r\n",
        "Transfer-Encoding: xchunked\r\n",
        "Transfer-Encoding: chunked\r\nContent-Length: 5\r\nConnection: content-length\r\n",
    })
    void rejectsAmbiguousFraming(String framing) throws IOException {
        String request = "POST / HTTP/1.1\r\nHost: a\r\n" + framing + "\r\n"
                + "5\r\nhello\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n";

        assertRejected(request, 400);
    }

    @Test
    void rejectsTransferEncodingInHttp10() throws IOException {
        assertRejected("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400);
    }

    @Test
    void rejectsHttp11WithoutHost() throws IOException {
        assertRejected("GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", 400);
    }

    @Test
    void rejectsTwoHostFields() throws IOException {
        assertRejected("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400);
    }

    @Test
    void servesHttp10WithoutHost() throws IOException {
        try (ClientConnection client = proxy.connect()) {
            client.send("GET / HTTP/1.0\r\n\r\n");

            assertThat(client.readResponse().status()).isEqualTo(200);
        }
    }

    @Test
    void connectionHeaderCannotRemoveContentLength() throws IOException {
        try (ClientConnection client = proxy.connect()) {
            client.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
                    + "Connection: content-length\r\n\r\nGET /x");
            RawResponse response = client.readResponse();

            assertThat(response.status()).isEqualTo(200);
            assertThat(worker.requests()).hasSize(1);
            assertThat(worker.requests().get(0).header("Content-Length")).isEqualTo("5");
        }
    }

    @Test
    void closesSlowHeaderWith408() throws IOException {
        try (ClientConnection client = proxy.connect()) {
            client.send("GET / HTTP/1.1\r\nHost: a\r\n");
            RawResponse response = client.readResponse();

            assertThat(response.status()).isEqualTo(408);
            assertThat(client.isClosedByPeer()).isTrue();
            assertThat(worker.acceptedConnections()).isZero();
        }
    }

    @Test
    void keepsIdleConnectionWithoutPartialHeader() throws IOException, InterruptedException {
        try (ClientConnection client = proxy.connect()) {
            client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(client.readResponse().status()).isEqualTo(200);
            // Longer than the header timeout: no byte of a next request has arrived yet.
            Thread.sleep(1_500);
            client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");

            assertThat(client.readResponse().status()).isEqualTo(200);
        }
    }

    @Test
    void answers408AfterResponseWhenPipelinedHeadStalls() throws IOException {
        try (ScriptedWorker slowWorker = answeringAfter(1_500);
                ClientConnection client = proxy.connect()) {
            proxy.route("/", slowWorker.port());

            // The first response takes longer than the 1 s header timeout.
            client.send("GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHo");
            RawResponse first = client.readResponse();
            RawResponse timeout = client.readResponse();

            assertThat(first.status()).isEqualTo(200);
            assertThat(timeout.status()).isEqualTo(408);
            assertThat(client.isClosedByPeer()).isTrue();
            assertThat(slowWorker.requests()).hasSize(1);
        }
    }

    @Test
    void pipelinedHeadDeadlineWaitsForExchange() throws IOException, InterruptedException {
        try (ScriptedWorker slowWorker = answeringAfter(1_500);
                ClientConnection client = proxy.connect()) {
            proxy.route("/", slowWorker.port());

            client.send("GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHo");
            Thread.sleep(200);
            // The proxy reads the rest only after the first exchange, past the header timeout.
            client.send("st: a\r\n\r\n");
            RawResponse first = client.readResponse();
            RawResponse second = client.readResponse();

            assertThat(first.status()).isEqualTo(200);
            assertThat(second.status()).isEqualTo(200);
            assertThat(slowWorker.requests()).hasSize(2);
        }
    }

    @Test
    void deepPipelineAnsweredInFull() throws IOException {
        int sent = 1_000;
        try (ClientConnection client = proxy.connect()) {
            client.send("GET /bench HTTP/1.1\r\nHost: a\r\n\r\n".repeat(sent));
            int answered = 0;
            for (int i = 0; i < sent; i++) {
                assertThat(client.readResponse().status()).isEqualTo(200);
                answered++;
            }

            assertThat(answered).isEqualTo(sent);
            client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(client.readResponse().status()).isEqualTo(200);
        }
    }

    /** Starts a worker that waits {@code millis} before it responds 200 to each request. */
    private static ScriptedWorker answeringAfter(long millis) throws IOException {
        return ScriptedWorker.start((connection, index) -> {
            while (connection.readRequest() != null) {
                try {
                    Thread.sleep(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                connection.send(OK_RESPONSE);
            }
        });
    }

    private void assertRejected(String request, int status) throws IOException {
        try (ClientConnection client = proxy.connect()) {
            client.send(request);
            RawResponse response = client.readResponse();

            assertThat(response.status()).isEqualTo(status);
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(client.isClosedByPeer()).isTrue();
            assertThat(worker.acceptedConnections()).isZero();
        }
    }
}
