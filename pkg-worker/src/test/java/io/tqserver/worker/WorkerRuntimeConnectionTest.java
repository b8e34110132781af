package io.tqserver.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Connection handling on the wire: keep-alive, HTTP/1.0 and concurrent blocking handlers. */
class WorkerRuntimeConnectionTest {

    private WorkerRuntime runtime;

    @AfterEach
    void stopRuntime() {
        if (runtime != null) {
            runtime.stop();
        }
    }

    @Test
    void http11ConnectionIsKeptAliveAcrossRequests() throws Exception {
        runtime = TestWorkers.start(routes -> routes.get("/port", (request, response) ->
                response.send(Integer.toString(request.remoteAddress().getPort()))));

        try (RawHttpConnection connection = new RawHttpConnection(runtime.port())) {
            List<String> clientPorts = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                connection.write("GET /port HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                RawHttpConnection.RawResponse response = connection.readResponse();
                assertThat(response.status()).isEqualTo(200);
                clientPorts.add(response.bodyText());
            }

            assertThat(clientPorts).containsOnly(Integer.toString(connection.localPort()));
            assertThat(connection.isClosedByServer(200)).isFalse();
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        runtime = TestWorkers.start(routes -> routes.get("/echo", (request, response) ->
                response.send(request.queryParam("n"))));

        try (RawHttpConnection connection = new RawHttpConnection(runtime.port())) {
            connection.write("GET /echo?n=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    + "GET /echo?n=2 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");

            assertThat(connection.readResponse().bodyText()).isEqualTo("1");
            assertThat(connection.readResponse().bodyText()).isEqualTo("2");
        }
    }

    @Test
    void http10ConnectionClosesAfterResponse() throws Exception {
        runtime = TestWorkers.start(routes -> routes
                .get("/hello", (request, response) -> response.send("hi")));

        try (RawHttpConnection connection = new RawHttpConnection(runtime.port())) {
            connection.write("GET /hello HTTP/1.0\r\n\r\n");
            RawHttpConnection.RawResponse response = connection.readResponse();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("hi");
            assertThat(connection.isClosedByServer(2000)).isTrue();
        }
    }

    @Test
    void http10KeepAliveIsHonoured() throws Exception {
        runtime = TestWorkers.start(routes -> routes
                .get("/hello", (request, response) -> response.send("hi")));

        try (RawHttpConnection connection = new RawHttpConnection(runtime.port())) {
            connection.write("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            RawHttpConnection.RawResponse first = connection.readResponse();
            connection.write("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            RawHttpConnection.RawResponse second = connection.readResponse();

            assertThat(first.bodyText()).isEqualTo("hi");
            assertThat(second.bodyText()).isEqualTo("hi");
        }
    }

    @Test
    void http10StreamedBodyEndsWithConnectionClose() throws Exception {
        runtime = TestWorkers.start(routes -> routes.get("/stream", (request, response) -> {
            OutputStream out = response.outputStream();
            out.write("part one, ".getBytes(StandardCharsets.UTF_8));
            out.flush();
            out.write("part two".getBytes(StandardCharsets.UTF_8));
        }));

        try (RawHttpConnection connection = new RawHttpConnection(runtime.port())) {
            connection.write("GET /stream HTTP/1.0\r\n\r\n");
            RawHttpConnection.RawResponse response = connection.readResponse();

            assertThat(response.header("Transfer-Encoding")).isNull();
            assertThat(response.header("Content-Length")).isNull();
            assertThat(response.bodyText()).isEqualTo("part one, part two");
        }
    }

    @Test
    void blockingHandlersRunConcurrently() throws Exception {
        int threads = 4;
        CyclicBarrier allInside = new CyclicBarrier(threads);
        runtime = TestWorkers.start(Map.of("WORKER_THREADS", Integer.toString(threads)),
                routes -> routes.get("/wait", (request, response) -> {
                    // Completes only when every request holds a pool thread at the same time.
                    allInside.await(10, TimeUnit.SECONDS);
                    response.send("together");
                }));

        ExecutorService clients = Executors.newFixedThreadPool(threads);
        try {
            List<Future<String>> bodies = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                bodies.add(clients.submit(() -> TestWorkers.get(runtime, "/wait").body()));
            }
            for (Future<String> body : bodies) {
                assertThat(body.get(15, TimeUnit.SECONDS)).isEqualTo("together");
            }
        } finally {
            clients.shutdownNow();
        }
    }
}
