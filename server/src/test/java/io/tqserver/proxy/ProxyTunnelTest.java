package io.tqserver.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.tqserver.routing.WorkerInstance;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Upgrades connections through the proxy to a WebSocket echo worker and checks that frames,
 * close frames and half-closes pass through the tunnel, that it has its own idle timeout, and
 * that a draining instance waits for it.
 */
@Timeout(15)
class ProxyTunnelTest {

    private static final String HANDSHAKE = "GET /chat HTTP/1.1\r\nHost: a\r\n"
            + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

    private RunningProxy proxy;
    private ScriptedWorker worker;
    private WorkerInstance instance;

    @BeforeEach
    void startProxyAndEchoWorker() throws IOException {
        proxy = RunningProxy.start(RunningProxy.limitsWithTimeouts(Duration.ofSeconds(1)));
        worker = ScriptedWorker.start((connection, index) -> {
            connection.record(new ReceivedRequest(connection.readHead(), new byte[0]));
            connection.send("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n");
            echoUntilEnd(connection.input(), connection.output());
            connection.send("bye");
        });
        instance = proxy.route("/", worker.port());
    }

    /** Echoes bytes until the peer shuts its output; a close frame is echoed and ends it. */
    private static void echoUntilEnd(InputStream in, OutputStream out) throws IOException {
        for (int b = in.read(); b >= 0; b = in.read()) {
            out.write(b);
            out.flush();
        }
    }

    @AfterEach
    void stopAll() throws IOException {
        proxy.close();
        worker.close();
    }

    @Test
    void relaysHandshakeAndFramesBothWays() throws IOException {
        try (ClientConnection client = proxy.connect()) {
            client.send(HANDSHAKE);
            RawResponse switching = client.readResponse();
            byte[] frame = maskedTextFrame("hello");
            client.output().write(frame);
            client.output().flush();

            assertThat(switching.status()).isEqualTo(101);
            assertThat(switching.header("Upgrade")).isEqualTo("websocket");
            assertThat(switching.header("Connection")).isEqualToIgnoringCase("upgrade");
            assertThat(switching.header("Sec-WebSocket-Accept"))
                    .isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
            assertThat(HttpWire.readFixed(client.input(), frame.length)).isEqualTo(frame);
            ReceivedRequest handshake = worker.requests().get(0);
            assertThat(handshake.header("Upgrade")).isEqualTo("websocket");
            assertThat(handshake.header("Connection")).isEqualToIgnoringCase("upgrade");
            assertThat(handshake.header("Sec-WebSocket-Key")).isEqualTo("dGhlIHNhbXBsZSBub25jZQ==");
        }
    }

    @Test
    void passesCloseFrameAndHalfClose() throws IOException {
        try (ClientConnection client = proxy.connect()) {
            client.send(HANDSHAKE);
            client.readResponse();
            byte[] close = {(byte) 0x88, (byte) 0x80, 1, 2, 3, 4};
            client.output().write(close);
            client.output().flush();
            byte[] echoed = HttpWire.readFixed(client.input(), close.length);
            client.shutdownOutput();

            assertThat(echoed).isEqualTo(close);
            assertThat(new String(HttpWire.readFixed(client.input(), 3), StandardCharsets.UTF_8))
                    .isEqualTo("bye");
            assertThat(client.isClosedByPeer()).isTrue();
        }
    }

    @Test
    void closesIdleTunnel() throws IOException {
        try (ClientConnection client = proxy.connect()) {
            client.send(HANDSHAKE);
            client.readResponse();

            // The tunnel idle timeout is one second, below the client's read timeout.
            assertThat(client.isClosedByPeer()).isTrue();
        }
    }

    @Test
    void drainWaitsForOpenTunnel() throws Exception {
        try (ClientConnection client = proxy.connect()) {
            client.send(HANDSHAKE);
            client.readResponse();
            waitForTunnels(1);
            CompletableFuture<Void> drained = instance.drain();
            byte[] frame = maskedTextFrame("still open");
            client.output().write(frame);
            client.output().flush();

            assertThat(HttpWire.readFixed(client.input(), frame.length)).isEqualTo(frame);
            assertThat(drained).isNotDone();
            client.close();
            drained.get(5, TimeUnit.SECONDS);
            assertThat(instance.openTunnels()).isZero();
            assertThat(instance.inFlight()).isZero();
        }
    }

    private void waitForTunnels(int count) throws InterruptedException {
        for (int i = 0; i < 500 && instance.openTunnels() != count; i++) {
            Thread.sleep(10);
        }
        assertThat(instance.openTunnels()).isEqualTo(count);
    }

    /** Returns a masked WebSocket text frame of up to 125 bytes, as a client sends it. */
    static byte[] maskedTextFrame(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] mask = {0x11, 0x22, 0x33, 0x44};
        byte[] frame = new byte[6 + payload.length];
        frame[0] = (byte) 0x81;
        frame[1] = (byte) (0x80 | payload.length);
        System.arraycopy(mask, 0, frame, 2, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        return frame;
    }
}
