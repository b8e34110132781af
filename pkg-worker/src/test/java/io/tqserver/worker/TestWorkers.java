package io.tqserver.worker;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/** Starts in-process runtimes on a free loopback port and sends requests to them. */
final class TestWorkers {

    static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private TestWorkers() {
    }

    /** Starts a runtime on port 0 with {@code routes} registered and the given extra env. */
    static WorkerRuntime start(Map<String, String> extraEnv, Consumer<WorkerRuntime> routes)
            throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("WORKER_PORT", "0");
        env.put("WORKER_NAME", "test");
        env.put("WORKER_SHUTDOWN_GRACE_MS", "2000");
        env.putAll(extraEnv);
        WorkerRuntime runtime = WorkerRuntime.fromEnvironment(env);
        routes.accept(runtime);
        runtime.start();
        return runtime;
    }

    static WorkerRuntime start(Consumer<WorkerRuntime> routes) throws IOException {
        return start(Map.of(), routes);
    }

    static URI uri(WorkerRuntime runtime, String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + runtime.port() + pathAndQuery);
    }

    static HttpResponse<String> get(WorkerRuntime runtime, String pathAndQuery)
            throws IOException, InterruptedException {
        return send(runtime, "GET", pathAndQuery, HttpRequest.BodyPublishers.noBody());
    }

    static HttpResponse<String> send(
            WorkerRuntime runtime, String method, String pathAndQuery,
            HttpRequest.BodyPublisher body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri(runtime, pathAndQuery))
                .method(method, body)
                .timeout(Duration.ofSeconds(10))
                .build();
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
