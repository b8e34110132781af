package io.tqserver.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.tqserver.testing.PatternBytes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Checks HTTP/1.1 message semantics across the proxy, in both directions, on raw sockets. */
@Timeout(15)
class ProxySemanticsTest {

    private RunningProxy proxy;

    @BeforeEach
    void startProxy() throws IOException {
        proxy = RunningProxy.start();
    }

    @AfterEach
    void stopProxy() {
        proxy.close();
    }

    @Test
    void relaysContinueFromWorker() throws IOException {
        try (ScriptedWorker worker = ScriptedWorker.start((connection, index) -> {
            String head = connection.readHead();
            connection.send("HTTP/1.1 100 Continue\r\n\r\n");
            byte[] body = HttpWire.readFixed(connection.input(), 5);
            connection.record(new ReceivedRequest(head, body));
            connection.send("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        }); ClientConnection client = proxy.connect()) {
            proxy.route("/", worker.port());

            client.send("POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
                    + "Expect: 100-continue\r\n\r\n");
            RawResponse interim = client.readResponse();
            client.send("hello");
            RawResponse response = client.readResponse();

            assertThat(interim.status()).isEqualTo(100);
            assertThat(response.status()).isEqualTo(200);
            assertThat(worker.requests().get(0).header("Expect")).isEqualTo("100-continue");
            assertThat(new String(worker.requests().get(0).body(), StandardCharsets.US_ASCII))
                    .isEqualTo("hello");
        }
    }

    @Test
    void sendsContinueWhenWorkerIgnoresExpectation() throws IOException {
        try (ScriptedWorker worker = ScriptedWorker.answeringAlways(
                "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
                ClientConnection client = proxy.connect()) {
            proxy.route("/", worker.port());

            client.send("POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
                    + "Expect: 100-continue\r\n\r\n");
            RawResponse interim = client.readResponse();
            client.send("hello");

            assertThat(interim.status()).isEqualTo(100);
            assertThat(client.readResponse().status()).isEqualTo(200);
        }
    }

    @Test
    void relaysEarlyUnauthorizedDuringUpload() throws IOException {
        try (ScriptedWorker worker = ScriptedWorker.start((connection, index) -> {
            connection.readHead();
            connection.send("HTTP/1.1 401 Unauthorized\r\nContent-Length: 6\r\n\r\ndenied");
            connection.close();
        }); ClientConnection client = proxy.connect()) {
            proxy.route("/", worker.port());

            client.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 1000000\r\n\r\n");
            RawResponse response = client.readResponse();

            assertThat(response.status()).isEqualTo(401);
            assertThat(response.bodyText()).isEqualTo("denied");
            assertThat(response.header("Connection")).isEqualTo("close");
        }
    }

    @Test
    void earlyResponseLetsClientFinishSendingBody() throws IOException {
        try (ScriptedWorker worker = ScriptedWorker.start((connection, index) -> {
            connection.readHead();
            connection.send("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n");
        }); ClientConnection client = proxy.connect()) {
            proxy.route("/", worker.port());

            // The body stays below the limit on bytes the proxy reads and drops.
            client.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 1000000\r\n\r\n");
            RawResponse response = client.readResponse();
            PatternBytes.write(client.output(), 1_000_000);

            assertThat(response.status()).isEqualTo(401);
            assertThat(client.isClosedByPeer()).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"204", "304"})
    void bodylessStatusKeepsConnectionUsable(String status) throws IOException {
        try (ScriptedWorker worker = ScriptedWorker.answeringAlways("HTTP/1.1 " + status
                + " X\r\nContent-Length: 0\r\nETag: \"x\"\r\n\r\n");
                ClientConnection client = proxy.connect()) {
            proxy.route("/", worker.port());

            for (int i = 0; i < 3; i++) {
                client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
                RawResponse response = client.readResponse();

                assertThat(response.status()).isEqualTo(Integer.parseInt(status));
                assertThat(response.hasHeader("Transfer-Encoding")).isFalse();
            }
            assertThat(worker.acceptedConnections()).isEqualTo(1);
        }
    }

    @Test
    void headResponseHasNoBodyAndKeepsConnection() throws IOException {
        try (TestWorker worker = TestWorker.start(); ClientConnection client = proxy.connect()) {
            proxy.route("/", worker.port());

            client.send("HEAD /download/1000 HTTP/1.1\r\nHost: a\r\n\r\n");
            RawResponse head = client.readHeadResponse();
            client.send("GET /download/10 HTTP/1.1\r\nHost: a\r\n\r\n");
            RawResponse get = client.readResponse();

            assertThat(head.status()).isEqualTo(200);
            assertThat(get.status()).isEqualTo(200);
            assertThat(get.body()).hasSize(10);
        }
    }

    @Test
    void forwardsEarlyHints() throws IOException {
        try (ScriptedWorker worker = ScriptedWorker.answeringAlways(
                "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
                ClientConnection client = proxy.connect()) {
            proxy.route("/", worker.port());

            client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            RawResponse hints = client.readResponse();
            RawResponse response = client.readResponse();

            assertThat(hints.status()).isEqualTo(103);
            assertThat(hints.header("Link")).isEqualTo("</a.css>; rel=preload");
            assertThat(response.bodyText()).isEqualTo("ok");
        }
    }

    @Test
    void stripsConnectionNamedHeadersBothWays() throws IOException {
        try (ScriptedWorker worker = ScriptedWorker.answeringAlways(
                "HTTP/1.1 200 OK\r\nConnection: X-Worker-Hop\r\nX-Worker-Hop: 1\r\n"
                + "X-Kept: 2\r\nKeep-Alive: timeout=5\r\nContent-Length: 0\r\n\r\n");
                ClientConnection client = proxy.connect()) {
            proxy.route("/", worker.port());

            client.send("GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, X-Client-Hop\r\n"
                    + "X-Client-Hop: 1\r\nX-Kept: 3\r\nTE: trailers\r\n\r\n");
            RawResponse response = client.readResponse();
            ReceivedRequest received = worker.requests().get(0);

            assertThat(received.hasHeader("X-Client-Hop")).isFalse();
            assertThat(received.hasHeader("TE")).isFalse();
            assertThat(received.header("X-Kept")).isEqualTo("3");
            assertThat(response.hasHeader("X-Worker-Hop")).isFalse();
            assertThat(response.hasHeader("Keep-Alive")).isFalse();
            assertThat(response.header("X-Kept")).isEqualTo("2");
        }
    }

    @Test
    void clientCloseKeepsPooledWorkerConnection() throws IOException {
        int requests = 10;
        try (ScriptedWorker worker = ScriptedWorker.answeringAlways(
                "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")) {
            proxy.route("/", worker.port());
            for (int i = 0; i < requests; i++) {
                try (ClientConnection client = proxy.connect()) {
                    client.send("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
                    RawResponse response = client.readResponse();

                    assertThat(response.header("Connection")).isEqualTo("close");
                    assertThat(client.isClosedByPeer()).isTrue();
                }
            }

            assertThat(worker.requests()).hasSize(requests);
            assertThat(worker.requests().get(0).hasHeader("Connection")).isFalse();
            // Each event loop keeps its own worker connections, fewer than the requests.
            assertThat(worker.acceptedConnections()).isLessThan(requests);
        }
    }

    @Test
    void passesTrailersBothWays() throws IOException {
        CountDownLatch read = new CountDownLatch(1);
        String[] requestTrailer = new String[1];
        try (ScriptedWorker worker = ScriptedWorker.start((connection, index) -> {
            connection.readHead();
            requestTrailer[0] = HttpWire.copyChunked(connection.input(), (b, o, l) -> { });
            read.countDown();
            connection.send("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
                    + "Trailer: X-Checksum\r\n\r\n2\r\nok\r\n0\r\nX-Checksum: 42\r\n\r\n");
        }); ClientConnection client = proxy.connect()) {
            proxy.route("/", worker.port());

            client.send("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
                    + "Trailer: X-Digest\r\n\r\n3\r\nabc\r\n0\r\nX-Digest: 7\r\n\r\n");
            String head = HttpWire.readHead(client.input());
            String responseTrailer = HttpWire.copyChunked(client.input(), (b, o, l) -> { });

            assertThat(head).containsIgnoringCase("Trailer: X-Checksum");
            assertThat(responseTrailer).isEqualToIgnoringCase("X-Checksum: 42\r\n");
            assertThat(requestTrailer[0]).isEqualToIgnoringCase("X-Digest: 7\r\n");
        }
    }

    @Test
    void answersClientThatShutsItsOutput() throws IOException {
        try (TestWorker worker = TestWorker.start(); ClientConnection client = proxy.connect()) {
            proxy.route("/", worker.port());

            client.send("GET /a HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\n");
            client.shutdownOutput();

            assertThat(ReceivedRequest.fromEcho(client.readResponse()).target()).isEqualTo("/a");
            assertThat(ReceivedRequest.fromEcho(client.readResponse()).target()).isEqualTo("/b");
            assertThat(client.isClosedByPeer()).isTrue();
        }
    }

    @Test
    void retriesIdempotentRequestOnStaleConnection() throws IOException {
        try (ScriptedWorker worker = closingSecondRequest(); ClientConnection client =
                proxy.connect()) {
            proxy.route("/", worker.port());

            client.send("GET /1 HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(client.readResponse().status()).isEqualTo(200);
            client.send("GET /2 HTTP/1.1\r\nHost: a\r\n\r\n");

            assertThat(client.readResponse().status()).isEqualTo(200);
            assertThat(worker.acceptedConnections()).isEqualTo(2);
        }
    }

    @Test
    void neverRetriesRequestWithBody() throws IOException {
        try (ScriptedWorker worker = closingSecondRequest(); ClientConnection client =
                proxy.connect()) {
            proxy.route("/", worker.port());

            client.send("GET /1 HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(client.readResponse().status()).isEqualTo(200);
            client.send("PUT /2 HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc");

            assertThat(client.readResponse().status()).isEqualTo(502);
            assertThat(worker.acceptedConnections()).isEqualTo(1);
        }
    }

    /** Starts a worker that answers a connection's first request and drops its second. */
    private static ScriptedWorker closingSecondRequest() throws IOException {
        return ScriptedWorker.start((connection, index) -> {
            connection.readRequest();
            connection.send("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
            if (index == 0) {
                connection.readRequest();
                connection.close();
                return;
            }
            while (connection.readRequest() != null) {
                connection.send("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
            }
        });
    }

    @Test
    void clientDisconnectClosesWorkerConnection() throws Exception {
        CountDownLatch workerSawClose = new CountDownLatch(1);
        try (ScriptedWorker worker = ScriptedWorker.start((connection, index) -> {
            connection.readHead();
            if (connection.input().read() < 0) {
                workerSawClose.countDown();
            }
        })) {
            proxy.route("/", worker.port());
            try (ClientConnection client = proxy.connect()) {
                client.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n");
                while (worker.requests().isEmpty() && worker.acceptedConnections() == 0) {
                    Thread.sleep(10);
                }
            }

            assertThat(workerSawClose.await(5, TimeUnit.SECONDS)).isTrue();
        }
    }
}
