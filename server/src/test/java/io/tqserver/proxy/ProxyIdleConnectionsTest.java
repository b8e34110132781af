package io.tqserver.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Holds 1,000 idle keep-alive client connections open against the proxy while further requests
 * on new connections are served, then checks that every idle connection still works.
 *
 * <p>The test JVM needs about three file descriptors per idle connection: the client socket,
 * the proxy's socket and headroom for worker connections. On Linux the JVM raises its soft
 * {@code RLIMIT_NOFILE} to the hard limit at start (the default {@code -XX:+MaxFDLimit}), so a
 * hard limit of 4,096 or more is enough.
 */
@Timeout(120)
class ProxyIdleConnectionsTest {

    private static final int IDLE_CONNECTIONS = 1_000;
    private static final int OTHER_REQUESTS = 200;

    @Test
    void servesRequestsWhileThousandConnectionsIdle() throws IOException {
        assertThat(maxOpenFiles())
                .as("soft limit on open files of the test JVM (Max open files in "
                        + "/proc/self/limits); raise it with ulimit -n")
                .isGreaterThanOrEqualTo(3L * IDLE_CONNECTIONS + 256);
        List<ClientConnection> idle = new ArrayList<>();
        try (RunningProxy proxy = RunningProxy.start();
                ScriptedWorker worker = ScriptedWorker.answeringAlways(
                        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")) {
            proxy.route("/", worker.port());
            for (int i = 0; i < IDLE_CONNECTIONS; i++) {
                ClientConnection client = proxy.connect();
                idle.add(client);
                assertThat(get(client, "/idle/" + i).status()).isEqualTo(200);
            }

            int served = 0;
            for (int i = 0; i < OTHER_REQUESTS; i++) {
                try (ClientConnection client = proxy.connect()) {
                    if (get(client, "/other/" + i).status() == 200) {
                        served++;
                    }
                }
            }
            int stillOpen = 0;
            for (int i = 0; i < IDLE_CONNECTIONS; i++) {
                if (get(idle.get(i), "/again/" + i).status() == 200) {
                    stillOpen++;
                }
            }

            assertThat(served).isEqualTo(OTHER_REQUESTS);
            assertThat(stillOpen).isEqualTo(IDLE_CONNECTIONS);
            // Requests on one event loop at a time reuse its pooled worker connection.
            assertThat(worker.acceptedConnections()).isLessThan(IDLE_CONNECTIONS);
        } finally {
            for (ClientConnection client : idle) {
                client.close();
            }
        }
    }

    private static RawResponse get(ClientConnection client, String target) throws IOException {
        client.send("GET " + target + " HTTP/1.1\r\nHost: a\r\n\r\n");
        return client.readResponse();
    }

    /** Returns the soft limit on open files of this process, from {@code /proc/self/limits}. */
    private static long maxOpenFiles() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
            }
        }
        throw new IOException("no Max open files line in /proc/self/limits");
    }
}
