package io.tqserver.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Routes requests through a running proxy and checks which worker gets them, and as what. */
@Timeout(10)
class ProxyRoutingTest {

    private static final String OK_RESPONSE = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";

    private RunningProxy proxy;
    private TestWorker api;
    private TestWorker root;

    @BeforeEach
    void startProxyAndWorkers() throws IOException {
        proxy = RunningProxy.start();
        api = TestWorker.start();
        root = TestWorker.start();
        proxy.route("/api", api.port());
    }

    @AfterEach
    void stopAll() {
        proxy.close();
        api.close();
        root.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api", "/api/", "/api/x?q=1", "/api?x=1", "/api/x/y/z"})
    void servesPrefixAndPathsBelowIt(String target) throws IOException {
        RawResponse response = get(target);

        assertThat(response.status()).isEqualTo(200);
        assertThat(api.remotePorts()).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/apix", "/ap", "/api2/x", "/API", "/", "/x/api"})
    void answersNotFoundOutsidePrefixWithoutRootRoute(String target) throws IOException {
        RawResponse response = get(target);

        assertThat(response.status()).isEqualTo(404);
        assertThat(api.remotePorts()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/apix", "/apix/y", "/", "/other?q=1"})
    void sendsOtherPathsToRootRouteUnchanged(String target) throws IOException {
        proxy.route("/", root.port());

        RawResponse response = get(target);

        assertThat(response.status()).isEqualTo(200);
        assertThat(ReceivedRequest.fromEcho(response).target()).isEqualTo(target);
        assertThat(api.remotePorts()).isEmpty();
    }

    @Test
    void prefersLongestMatchingPrefix() throws IOException {
        proxy.route("/api/v2", root.port());

        RawResponse nested = get("/api/v2/items");
        RawResponse outer = get("/api/v22");

        assertThat(ReceivedRequest.fromEcho(nested).target()).isEqualTo("/items");
        assertThat(root.remotePorts()).hasSize(1);
        assertThat(ReceivedRequest.fromEcho(outer).target()).isEqualTo("/v22");
        assertThat(api.remotePorts()).hasSize(1);
    }

    @ParameterizedTest
    @CsvSource({
        "/api/users, /users",
        "/api, /",
        "/api/, /",
        "/api?x=1, /?x=1",
        "/api/?x=1, /?x=1",
        "/api/users/7?sort=name&dir=up, /users/7?sort=name&dir=up",
    })
    void stripsRoutePrefixBeforeForwarding(String clientTarget, String workerTarget)
            throws IOException {
        RawResponse response = get(clientTarget);

        assertThat(ReceivedRequest.fromEcho(response).target()).isEqualTo(workerTarget);
    }

    @ParameterizedTest
    @CsvSource({
        "/api/a%2Fb/../c?q=%20, /a%2Fb/../c?q=%20",
        "/api/%7Euser/./x;p=1?a=b&a=c, /%7Euser/./x;p=1?a=b&a=c",
        "/api//double//slash, //double//slash",
        "/api/caf%C3%A9?name=%E2%82%AC, /caf%C3%A9?name=%E2%82%AC",
    })
    void forwardsRestOfTargetByteForByte(String clientTarget, String workerTarget)
            throws IOException {
        try (ScriptedWorker raw = ScriptedWorker.answeringAlways(OK_RESPONSE);
                ClientConnection client = proxy.connect()) {
            proxy.route("/raw", raw.port());

            client.send("GET /raw" + clientTarget.substring(4) + " HTTP/1.1\r\n"
                    + "Host: example.test\r\n\r\n");
            RawResponse response = client.readResponse();

            assertThat(response.status()).isEqualTo(200);
            assertThat(raw.requests().get(0).target()).isEqualTo(workerTarget);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "http://example.test/api/x, /x",
        "http://example.test:8080/api/x?q=1, /x?q=1",
        "HTTP://example.test/api, /",
    })
    void forwardsAbsoluteFormTargetInOriginForm(String clientTarget, String workerTarget)
            throws IOException {
        RawResponse response = get(clientTarget);

        assertThat(response.status()).isEqualTo(200);
        assertThat(ReceivedRequest.fromEcho(response).target()).isEqualTo(workerTarget);
    }

    @Test
    void usesAbsoluteFormAuthorityAsHost() throws IOException {
        RawResponse response = get("http://example.test:8080/api/x");

        ReceivedRequest received = ReceivedRequest.fromEcho(response);
        assertThat(received.header("Host")).isEqualTo("example.test:8080");
        assertThat(received.header("X-Forwarded-Host")).isEqualTo("example.test:8080");
    }

    @Test
    void rejectsAsteriskTarget() throws IOException {
        RawResponse response = get("*");

        assertThat(response.status()).isEqualTo(400);
    }

    @Test
    void followsRouteChangesOnOpenConnection() throws IOException {
        try (ClientConnection client = proxy.connect()) {
            client.send("GET /api/x HTTP/1.1\r\nHost: example.test\r\n\r\n");
            RawResponse before = client.readResponse();
            proxy.route("/api", root.port());
            client.send("GET /api/x HTTP/1.1\r\nHost: example.test\r\n\r\n");
            RawResponse after = client.readResponse();

            assertThat(before.status()).isEqualTo(200);
            assertThat(after.status()).isEqualTo(200);
            assertThat(api.remotePorts()).hasSize(1);
            assertThat(root.remotePorts()).hasSize(1);
        }
    }

    private RawResponse get(String target) throws IOException {
        try (ClientConnection client = proxy.connect()) {
            client.send("GET " + target + " HTTP/1.1\r\nHost: example.test\r\n\r\n");
            return client.readResponse();
        }
    }
}
