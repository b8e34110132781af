package io.tqserver.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tqserver.config.ServerConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Lets each worker-side deadline pass and checks its own outcome: 502 when connecting times
 * out, 504 when the response head is late, a cut-off body when the worker pauses, and 504 when
 * the whole request takes too long. The connect timeout is 300 ms, every other timeout one
 * second, and the route's response timeout two.
 */
@Timeout(20)
class ProxyTimeoutTest {

    private RunningProxy proxy;

    @BeforeEach
    void startProxy() throws IOException {
        ServerConfig.ProxyLimits oneSecond = RunningProxy.limitsWithTimeouts(Duration.ofSeconds(1));
        proxy = RunningProxy.start(new ServerConfig.ProxyLimits(
                oneSecond.maxRequestTargetBytes(), oneSecond.maxHeaderBytes(),
                oneSecond.headerTimeout(), Duration.ofMillis(300), oneSecond.workerIdleTimeout(),
                oneSecond.requestTimeout(), oneSecond.tunnelIdleTimeout()));
    }

    @AfterEach
    void stopProxy() {
        proxy.close();
    }

    @Test
    void answersBadGatewayWhenWorkerRefusesConnection() throws IOException {
        int closedPort;
        try (ServerSocket unused = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = unused.getLocalPort();
        }
        proxy.route("/", closedPort);

        assertThat(get("/").status()).isEqualTo(502);
    }

    @Test
    void answersBadGatewayWhenConnectTimesOut() throws IOException {
        // A listener that never accepts, with its backlog filled, leaves new connects hanging.
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> fillers = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    Socket filler = new Socket();
                    try {
                        filler.connect(full.getLocalSocketAddress(), 200);
                    } catch (IOException e) {
                        filler.close();
                        break;
                    }
                    fillers.add(filler);
                }
                proxy.route("/", full.getLocalPort());

                assertThat(get("/").status()).isEqualTo(502);
            } finally {
                for (Socket filler : fillers) {
                    filler.close();
                }
            }
        }
    }

    @Test
    void answersGatewayTimeoutWhenHeadIsLate() throws IOException {
        try (TestWorker worker = TestWorker.start()) {
            proxy.route("/", worker.port());

            assertThat(get("/sleep/5000").status()).isEqualTo(504);
        }
    }

    @Test
    void cutsOffBodyWhenWorkerPauses() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (ScriptedWorker worker = ScriptedWorker.start((connection, index) -> {
            connection.readRequest();
            connection.send("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
            awaitQuietly(release);
        }); ClientConnection client = proxy.connect()) {
            proxy.route("/", worker.port());

            client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            String head = HttpWire.readHead(client.input());

            assertThat(head).startsWith("HTTP/1.1 200");
            assertThatThrownBy(() -> HttpWire.readFixed(client.input(), 10))
                    .isInstanceOf(IOException.class);
            release.countDown();
        }
    }

    @Test
    void answersGatewayTimeoutWhenRequestTakesTooLong() throws Exception {
        // The worker keeps the upload going slowly by reading nothing; the client keeps sending,
        // so only the whole-request deadline applies.
        try (ScriptedWorker worker = ScriptedWorker.start((connection, index) -> {
            connection.readHead();
            awaitQuietly(new CountDownLatch(1));
        }); ClientConnection client = proxy.connect()) {
            proxy.route("/", worker.port());

            client.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n");
            for (int i = 0; i < 30 && !client.hasInput(); i++) {
                client.send("x");
                Thread.sleep(100);
            }
            RawResponse response = client.readResponse();

            assertThat(response.status()).isEqualTo(504);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private RawResponse get(String target) throws IOException {
        try (ClientConnection client = proxy.connect()) {
            client.send("GET " + target + " HTTP/1.1\r\nHost: a\r\n\r\n");
            return client.readResponse();
        }
    }
}
