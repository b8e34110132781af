package io.tqserver.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Graceful stop: refusing new connections, draining in-flight requests, the grace limit. */
class WorkerRuntimeStopTest {

    private final CountDownLatch handlerEntered = new CountDownLatch(1);
    private final CountDownLatch releaseHandler = new CountDownLatch(1);
    private WorkerRuntime runtime;

    @AfterEach
    void stopRuntime() {
        releaseHandler.countDown();
        if (runtime != null) {
            runtime.stop(Duration.ZERO);
        }
    }

    @Test
    void stopWaitsForInFlightRequestAndRefusesNewConnections() throws Exception {
        runtime = startWithBlockingRoute("5000");
        CompletableFuture<HttpResponse<String>> inFlight = requestAsync("/block");
        assertThat(handlerEntered.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> stopping = CompletableFuture.runAsync(runtime::stop);
        awaitConnectionRefused(runtime.port());

        assertThat(stopping).isNotDone();
        releaseHandler.countDown();
        HttpResponse<String> response = inFlight.get(10, TimeUnit.SECONDS);
        stopping.get(10, TimeUnit.SECONDS);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("finished");
    }

    @Test
    void stopGivesUpAfterGracePeriod() throws Exception {
        runtime = startWithBlockingRoute("300");
        CompletableFuture<HttpResponse<String>> inFlight = requestAsync("/block");
        assertThat(handlerEntered.await(10, TimeUnit.SECONDS)).isTrue();

        long started = System.nanoTime();
        runtime.stop();
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertThat(elapsedMillis).isBetween(250L, 3000L);
        assertThatThrownBy(() -> inFlight.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IOException.class);
    }

    @Test
    void healthReportsDrainingOnOpenConnection() throws Exception {
        runtime = startWithBlockingRoute("5000");
        try (RawHttpConnection idle = new RawHttpConnection(runtime.port())) {
            idle.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertThat(idle.readResponse().status()).isEqualTo(200);
            CompletableFuture<HttpResponse<String>> inFlight = requestAsync("/block");
            assertThat(handlerEntered.await(10, TimeUnit.SECONDS)).isTrue();

            CompletableFuture<Void> stopping = CompletableFuture.runAsync(runtime::stop);
            awaitConnectionRefused(runtime.port());
            idle.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            RawHttpConnection.RawResponse draining = idle.readResponse();

            assertThat(draining.status()).isEqualTo(503);
            assertThat(draining.bodyText()).isEqualTo("draining");
            assertThat(draining.header("Connection")).isEqualTo("close");
            releaseHandler.countDown();
            assertThat(inFlight.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            stopping.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void awaitReturnsOnceStopped() throws Exception {
        runtime = TestWorkers.start(routes -> { });
        CompletableFuture<Void> awaiting = CompletableFuture.runAsync(() -> {
            try {
                runtime.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        runtime.stop();

        awaiting.get(5, TimeUnit.SECONDS);
    }

    @Test
    void repeatedStopReturnsAtOnce() throws Exception {
        runtime = TestWorkers.start(routes -> { });
        runtime.stop();

        long started = System.nanoTime();
        runtime.stop();

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(500);
    }

    @Test
    void stopBeforeStartPreventsStart() {
        runtime = WorkerRuntime.fromEnvironment(Map.of("WORKER_PORT", "0"));
        runtime.stop();

        assertThatThrownBy(runtime::start).isInstanceOf(IllegalStateException.class);
    }

    private WorkerRuntime startWithBlockingRoute(String graceMillis) throws IOException {
        return TestWorkers.start(Map.of("WORKER_SHUTDOWN_GRACE_MS", graceMillis),
                routes -> routes.get("/block", (request, response) -> {
                    handlerEntered.countDown();
                    releaseHandler.await(30, TimeUnit.SECONDS);
                    response.send("finished");
                }));
    }

    private CompletableFuture<HttpResponse<String>> requestAsync(String path) {
        return TestWorkers.CLIENT.sendAsync(
                java.net.http.HttpRequest.newBuilder(TestWorkers.uri(runtime, path))
                        .timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Polls until a new connection to {@code port} is refused, for at most 5 s. */
    private static void awaitConnectionRefused(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                Thread.sleep(20);
            } catch (ConnectException e) {
                return;
            } catch (IOException e) {
                throw new AssertionError("unexpected failure while connecting", e);
            }
        }
        throw new AssertionError("port " + port + " still accepts connections after 5 s");
    }
}
