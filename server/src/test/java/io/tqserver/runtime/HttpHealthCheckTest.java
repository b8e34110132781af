package io.tqserver.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class HttpHealthCheckTest {

    private static final Duration TIMEOUT = Duration.ofMillis(300);

    private HttpServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void healthyWhenStatusIs200() throws IOException {
        InetSocketAddress address = serve(200);

        assertThat(HttpHealthCheck.isHealthy(address, TIMEOUT)).isTrue();
    }

    @Test
    void unhealthyWhenStatusIsNot200() throws IOException {
        InetSocketAddress address = serve(503);

        assertThat(HttpHealthCheck.isHealthy(address, TIMEOUT)).isFalse();
    }

    @Test
    void unhealthyWhenNothingListens() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);

        assertThat(HttpHealthCheck.isHealthy(address, TIMEOUT)).isFalse();
    }

    @Test
    void unhealthyWhenResponseTimesOut() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            long start = System.nanoTime();

            boolean healthy = HttpHealthCheck.isHealthy(
                    (InetSocketAddress) silent.getLocalSocketAddress(), TIMEOUT);

            assertThat(healthy).isFalse();
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            assertThat(elapsed).isLessThan(Duration.ofSeconds(2));
        }
    }

    private InetSocketAddress serve(int status) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(HttpHealthCheck.PATH, exchange -> {
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        return server.getAddress();
    }
}
