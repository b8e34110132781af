package io.tqserver.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.tqserver.config.ServerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Relays a {@code text/event-stream} response whose worker sends each event only after the
 * client has read the one before, so the test passes only if the proxy flushes every event as
 * it arrives. The pauses between events are longer than the worker idle timeout and add up to
 * more than the request timeout, which an event stream is exempt from.
 */
@Timeout(20)
class ProxyEventStreamTest {

    private static final int EVENTS = 4;
    private static final long PAUSE_MILLIS = 600;

    @Test
    void relaysEachEventBeforeNextIsSent() throws Exception {
        ServerConfig.ProxyLimits defaults = ServerConfig.ProxyLimits.DEFAULTS;
        ServerConfig.ProxyLimits limits = new ServerConfig.ProxyLimits(
                defaults.maxRequestTargetBytes(), defaults.maxHeaderBytes(),
                defaults.headerTimeout(), defaults.connectTimeout(), Duration.ofMillis(500),
                Duration.ofSeconds(1), Duration.ofSeconds(10));
        List<CountDownLatch> eventsRead = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            eventsRead.add(new CountDownLatch(1));
        }
        try (RunningProxy proxy = RunningProxy.start(limits);
                ScriptedWorker worker = ScriptedWorker.start((connection, index) -> {
                    connection.readRequest();
                    connection.send("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                            + "Cache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n\r\n"
                            + chunk(event(0)));
                    for (int i = 1; i < EVENTS; i++) {
                        if (!awaitAndPause(eventsRead.get(i - 1))) {
                            return;
                        }
                        connection.send(chunk(event(i)));
                    }
                    awaitAndPause(eventsRead.get(EVENTS - 1));
                    connection.send("0\r\n\r\n");
                });
                ClientConnection client = proxy.connect()) {
            proxy.route("/", worker.port());

            client.send("GET /events HTTP/1.1\r\nHost: a\r\nAccept: text/event-stream\r\n\r\n");
            String head = HttpWire.readHead(client.input());
            List<String> received = new ArrayList<>();
            for (int i = 0; i < EVENTS; i++) {
                received.add(readChunk(client));
                eventsRead.get(i).countDown();
            }
            String end = HttpWire.readLine(client.input());

            assertThat(head).startsWith("HTTP/1.1 200");
            assertThat(head).containsIgnoringCase("Content-Type: text/event-stream");
            assertThat(received).containsExactly(event(0), event(1), event(2), event(3));
            assertThat(end).isEqualTo("0");
        }
    }

    private static String event(int id) {
        return "id: " + id + "\ndata: tick " + id + "\n\n";
    }

    private static String chunk(String data) {
        return Integer.toHexString(data.length()) + "\r\n" + data + "\r\n";
    }

    /** Reads one chunk and returns its data, failing when the chunk does not come in time. */
    private static String readChunk(ClientConnection client) throws IOException {
        int size = Integer.parseInt(HttpWire.readLine(client.input()), 16);
        byte[] data = HttpWire.readFixed(client.input(), size);
        assertThat(HttpWire.readLine(client.input())).isEmpty();
        return new String(data, StandardCharsets.UTF_8);
    }

    /** Waits until the client has read the last event, then pauses before the next one. */
    private static boolean awaitAndPause(CountDownLatch eventRead) {
        try {
            if (!eventRead.await(10, TimeUnit.SECONDS)) {
                return false;
            }
            Thread.sleep(PAUSE_MILLIS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
