package io.tqserver.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Routing by path prefix between two echo workers, {@code root} at {@code /} and {@code api} at
 * {@code /api}, and what the worker receives: the target, the forwarded headers and the
 * connection it came on.
 */
class RoutingIT {

    @TempDir
    static Path folder;

    private static RunningDaemon daemon;

    @BeforeAll
    static void startDaemon() throws Exception {
        daemon = DaemonFolder.at(folder)
                .testWorker("echo", "root", "/")
                .testWorker("echo", "api", "/api")
                .start();
    }

    @AfterAll
    static void stopDaemon() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
    }

    @ParameterizedTest(name = "{0} goes to {1} as {2}")
    @CsvSource({
        "/api,         api,  /,      ''",
        "/api/,        api,  /,      ''",
        "/api/x?q=1,   api,  /x,     q=1",
        "/api/users,   api,  /users, ''",
        "/apix,        root, /apix,  ''",
        "/,            root, /,      ''",
        "/api2/users,  root, /api2/users, ''",
    })
    void routesBySegmentPrefix(String target, String worker, String path, String query)
            throws Exception {
        HttpResponse response = HttpConnection.get(daemon.port(), target);

        assertThat(response.status()).isEqualTo(200);
        EchoedRequest received = response.echoed();
        assertThat(received.worker()).isEqualTo(worker);
        assertThat(received.path()).isEqualTo(path);
        assertThat(received.query()).isEqualTo(query);
    }

    @Test
    void forwardsRawTargetUndecoded() throws Exception {
        HttpResponse response = HttpConnection.get(daemon.port(), "/api/a%2Fb%20c/%7E?x=%2F&y=a+b");

        EchoedRequest received = response.echoed();
        assertThat(received.worker()).isEqualTo("api");
        assertThat(received.path()).isEqualTo("/a%2Fb%20c/%7E");
        assertThat(received.query()).isEqualTo("x=%2F&y=a+b");
    }

    @Test
    void forwardsRawTargetOnRootRoute() throws Exception {
        HttpResponse response = HttpConnection.get(daemon.port(), "/files/a%2Fb");

        EchoedRequest received = response.echoed();
        assertThat(received.worker()).isEqualTo("root");
        assertThat(received.path()).isEqualTo("/files/a%2Fb");
    }

    @Test
    void addsForwardedHeadersAndKeepsHost() throws Exception {
        HttpResponse response = send("GET /api/headers HTTP/1.1\r\n"
                + "Host: shop.example:8443\r\n"
                + "Connection: close\r\n\r\n");

        EchoedRequest received = response.echoed();
        assertThat(received.header("Host")).containsExactly("shop.example:8443");
        assertThat(received.header("X-Forwarded-Host")).containsExactly("shop.example:8443");
        assertThat(received.header("X-Forwarded-Proto")).containsExactly("http");
        assertThat(received.header("X-Forwarded-For")).containsExactly("127.0.0.1");
        assertThat(received.header("X-Forwarded-Prefix")).containsExactly("/api");
    }

    @Test
    void appendsClientToForwardedFor() throws Exception {
        HttpResponse response = send("GET /api/headers HTTP/1.1\r\n"
                + "Host: shop.example\r\n"
                + "X-Forwarded-For: 203.0.113.7\r\n"
                + "Connection: close\r\n\r\n");

        EchoedRequest received = response.echoed();
        assertThat(received.header("X-Forwarded-For")).containsExactly("203.0.113.7, 127.0.0.1");
    }

    @Test
    void rootRouteSendsNoForwardedPrefix() throws Exception {
        HttpResponse response = send("GET /headers HTTP/1.1\r\n"
                + "Host: shop.example\r\n"
                + "X-Forwarded-Prefix: /spoofed\r\n"
                + "Connection: close\r\n\r\n");

        EchoedRequest received = response.echoed();
        assertThat(received.worker()).isEqualTo("root");
        assertThat(received.header("X-Forwarded-Prefix")).isEmpty();
        assertThat(received.header("Host")).containsExactly("shop.example");
    }

    @Test
    void reusesConnectionsOnBothSides() throws Exception {
        int requests = 6;
        List<Integer> workerSidePorts = new ArrayList<>();
        try (HttpConnection connection = HttpConnection.open(daemon.port())) {
            for (int i = 0; i < requests; i++) {
                connection.send("GET /api/keep-alive/" + i + " HTTP/1.1\r\n"
                        + "Host: 127.0.0.1\r\n\r\n");
                HttpResponse response = connection.readResponse();

                assertThat(response.status()).isEqualTo(200);
                assertThat(response.header("Connection")).isNotEqualToIgnoringCase("close");
                EchoedRequest received = response.echoed();
                assertThat(received.path()).isEqualTo("/keep-alive/" + i);
                workerSidePorts.add(received.remotePort());
            }
        }

        Set<Integer> workerConnections = new HashSet<>(workerSidePorts);
        assertThat(workerConnections).as("proxy ports seen by the worker: %s", workerSidePorts)
                .hasSizeLessThan(requests);
    }

    private static HttpResponse send(String request) throws Exception {
        try (HttpConnection connection = HttpConnection.open(daemon.port())) {
            connection.send(request);
            return connection.readResponse();
        }
    }
}
