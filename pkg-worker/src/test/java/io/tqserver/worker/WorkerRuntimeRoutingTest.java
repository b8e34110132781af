package io.tqserver.worker;

import static io.tqserver.worker.TestWorkers.get;
import static io.tqserver.worker.TestWorkers.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkerRuntimeRoutingTest {

    private WorkerRuntime runtime;

    @AfterEach
    void stopRuntime() {
        if (runtime != null) {
            runtime.stop();
        }
    }

    @Test
    void listensOnLoopbackOnly() throws Exception {
        runtime = TestWorkers.start(routes -> { });

        assertThat(runtime.address().getAddress().isLoopbackAddress()).isTrue();
        assertThat(runtime.port()).isPositive();
    }

    @Test
    void routesEachMethodToItsHandler() throws Exception {
        runtime = TestWorkers.start(routes -> routes
                .get("/item", (request, response) -> response.send("got"))
                .post("/item", (request, response) -> response.send("posted"))
                .put("/item", (request, response) -> response.send("put"))
                .delete("/item", (request, response) -> response.send("deleted"))
                .route("PATCH", "/item", (request, response) -> response.send("patched")));

        assertThat(get(runtime, "/item").body()).isEqualTo("got");
        assertThat(send(runtime, "POST", "/item", BodyPublishers.ofString("x")).body())
                .isEqualTo("posted");
        assertThat(send(runtime, "PUT", "/item", BodyPublishers.ofString("x")).body())
                .isEqualTo("put");
        assertThat(send(runtime, "DELETE", "/item", BodyPublishers.noBody()).body())
                .isEqualTo("deleted");
        assertThat(send(runtime, "PATCH", "/item", BodyPublishers.ofString("x")).body())
                .isEqualTo("patched");
    }

    @Test
    void prefixRouteSeesRawPath() throws Exception {
        runtime = TestWorkers.start(routes -> routes
                .get("/static/*", (request, response) -> response.send(request.path())));

        HttpResponse<String> response = get(runtime, "/static/a%20b/c.css");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("/static/a%20b/c.css");
    }

    @Test
    void unknownPathIsNotFound() throws Exception {
        runtime = TestWorkers.start(routes -> routes
                .get("/hello", (request, response) -> response.send("hi")));

        HttpResponse<String> response = get(runtime, "/missing");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).isEqualTo("not found: /missing");
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValue("text/plain; charset=utf-8");
    }

    @Test
    void wrongMethodIsNotAllowedWithAllowHeader() throws Exception {
        runtime = TestWorkers.start(routes -> routes
                .get("/hello", (request, response) -> response.send("hi"))
                .put("/hello", (request, response) -> response.send("hi")));

        HttpResponse<String> response =
                send(runtime, "POST", "/hello", BodyPublishers.ofString("x"));

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("GET, HEAD, PUT");
        assertThat(response.body()).isEqualTo("method not allowed: POST");
    }

    @Test
    void decodesQueryParameters() throws Exception {
        runtime = TestWorkers.start(routes -> routes.get("/q", (request, response) ->
                response.send(request.queryParam("name") + "|" + request.queryParams("tag")
                        + "|" + request.queryParam("missing", "none") + "|"
                        + request.rawQuery())));

        HttpResponse<String> response = get(runtime, "/q?name=Ada%20L%C3%B8velace&tag=a&tag=b+c");

        assertThat(response.body())
                .isEqualTo("Ada Løvelace|[a, b c]|none|name=Ada%20L%C3%B8velace&tag=a&tag=b+c");
    }

    @Test
    void exposesRequestHeadersIgnoringCase() throws Exception {
        runtime = TestWorkers.start(routes -> routes.get("/h", (request, response) ->
                response.send(request.header("x-trace-id") + "|"
                        + request.headers().get("X-TRACE-ID"))));

        HttpResponse<String> response = TestWorkers.CLIENT.send(
                java.net.http.HttpRequest.newBuilder(TestWorkers.uri(runtime, "/h"))
                        .header("X-Trace-Id", "abc123").build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.body()).isEqualTo("abc123|[abc123]");
    }

    @Test
    void sendsRepeatedSetCookieHeaders() throws Exception {
        runtime = TestWorkers.start(routes -> routes.get("/login", (request, response) ->
                response.header("Set-Cookie", "session=1; HttpOnly")
                        .header("Set-Cookie", "theme=dark")
                        .send("welcome")));

        HttpResponse<String> response = get(runtime, "/login");

        assertThat(response.headers().allValues("Set-Cookie"))
                .containsExactly("session=1; HttpOnly", "theme=dark");
    }

    @Test
    void sendsStatusAndContentType() throws Exception {
        runtime = TestWorkers.start(routes -> routes.post("/things", (request, response) ->
                response.status(201).contentType("application/json").send("{\"id\":1}")));

        HttpResponse<String> response =
                send(runtime, "POST", "/things", BodyPublishers.ofString("{}"));

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.headers().firstValue("Content-Length")).hasValue("8");
        assertThat(response.body()).isEqualTo("{\"id\":1}");
    }

    @Test
    void handlerThatSendsNothingGivesEmptyBody() throws Exception {
        runtime = TestWorkers.start(routes -> routes
                .get("/empty", (request, response) -> response.status(202)));

        HttpResponse<String> response = get(runtime, "/empty");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.headers().firstValue("Content-Length")).hasValue("0");
        assertThat(response.body()).isEmpty();
    }

    @Test
    void noContentStatusSendsNoBody() throws Exception {
        runtime = TestWorkers.start(routes -> routes
                .delete("/thing", (request, response) -> response.status(204).send("")));

        HttpResponse<String> response =
                send(runtime, "DELETE", "/thing", BodyPublishers.noBody());

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void headRequestGetsLengthButNoBody() throws Exception {
        runtime = TestWorkers.start(routes -> routes
                .get("/page", (request, response) -> response.send("twelve bytes")));

        try (RawHttpConnection connection = new RawHttpConnection(runtime.port())) {
            connection.write("HEAD /page HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            RawHttpConnection.RawResponse head = connection.readResponse(true);
            connection.write("GET /page HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            RawHttpConnection.RawResponse next = connection.readResponse();

            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).isEqualTo("12");
            assertThat(next.bodyText()).isEqualTo("twelve bytes");
        }
    }

    @Test
    void statusExceptionBecomesItsResponse() throws Exception {
        runtime = TestWorkers.start(routes -> routes.get("/teapot", (request, response) -> {
            response.contentType("text/html");
            throw new HttpStatusException(418, "short and stout");
        }));

        HttpResponse<String> response = get(runtime, "/teapot");

        assertThat(response.statusCode()).isEqualTo(418);
        assertThat(response.body()).isEqualTo("short and stout");
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValue("text/plain; charset=utf-8");
    }

    @Test
    void failingHandlerGivesServerErrorAndServerKeepsServing() throws Exception {
        runtime = TestWorkers.start(routes -> routes
                .get("/boom", (request, response) -> {
                    throw new IllegalStateException("deliberate failure in a test");
                })
                .get("/ok", (request, response) -> response.send("fine")));

        HttpResponse<String> failed = get(runtime, "/boom");
        HttpResponse<String> next = get(runtime, "/ok");

        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(failed.body()).isEqualTo("internal server error");
        assertThat(next.body()).isEqualTo("fine");
    }

    @Test
    void bodyAsStringReadsSmallBody() throws Exception {
        runtime = TestWorkers.start(routes -> routes.post("/echo", (request, response) ->
                response.send(request.bodyAsString())));

        HttpResponse<String> response =
                send(runtime, "POST", "/echo", BodyPublishers.ofString("héllo"));

        assertThat(response.body()).isEqualTo("héllo");
    }

    @Test
    void bodyAsStringRejectsOversizedBody() throws Exception {
        runtime = TestWorkers.start(routes -> routes.post("/echo", (request, response) ->
                response.send(request.bodyAsString(10))));

        HttpResponse<String> declared =
                send(runtime, "POST", "/echo", BodyPublishers.ofString("x".repeat(11)));
        HttpResponse<String> streamed = send(runtime, "POST", "/echo",
                BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(
                        "y".repeat(11).getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        HttpResponse<String> fitting =
                send(runtime, "POST", "/echo", BodyPublishers.ofString("x".repeat(10)));

        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(declared.body()).isEqualTo("request body exceeds 10 bytes");
        assertThat(streamed.statusCode()).isEqualTo(413);
        assertThat(fitting.statusCode()).isEqualTo(200);
    }

    @Test
    void healthAnswersOk() throws Exception {
        runtime = TestWorkers.start(routes -> { });

        HttpResponse<String> response = get(runtime, "/health");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("ok");
    }

    @Test
    void healthFollowsRegisteredCheck() throws Exception {
        AtomicBoolean healthy = new AtomicBoolean(true);
        runtime = TestWorkers.start(routes -> routes.healthCheck(healthy::get));

        HttpResponse<String> before = get(runtime, "/health");
        healthy.set(false);
        HttpResponse<String> after = get(runtime, "/health");

        assertThat(before.statusCode()).isEqualTo(200);
        assertThat(after.statusCode()).isEqualTo(503);
        assertThat(after.body()).isEqualTo("unhealthy");
    }

    @Test
    void healthCheckThatThrowsIsUnhealthy() throws Exception {
        runtime = TestWorkers.start(routes -> routes.healthCheck(() -> {
            throw new IllegalStateException("database unreachable");
        }));

        assertThat(get(runtime, "/health").statusCode()).isEqualTo(503);
    }

    @Test
    void healthPathCannotBeRouted() {
        WorkerRuntime notStarted = WorkerRuntime.fromEnvironment(Map.of("WORKER_PORT", "0"));

        assertThatThrownBy(() -> notStarted.get("/health", (request, response) -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("healthCheck");
    }

    @Test
    void routesCannotBeAddedAfterStart() throws Exception {
        runtime = TestWorkers.start(routes -> { });

        assertThatThrownBy(() -> runtime.get("/late", (request, response) -> { }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("routes must be registered before start");
    }

    @Test
    void runtimeStartsOnlyOnce() throws Exception {
        runtime = TestWorkers.start(routes -> { });

        assertThatThrownBy(runtime::start).isInstanceOf(IllegalStateException.class);
    }
}
