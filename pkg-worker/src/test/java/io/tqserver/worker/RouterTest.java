package io.tqserver.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RouterTest {

    private final Router router = new Router();
    private final Handler hello = (request, response) -> { };
    private final Handler files = (request, response) -> { };
    private final Handler images = (request, response) -> { };
    private final Handler all = (request, response) -> { };

    @Test
    void exactPathMatchesOnlyItself() {
        router.add("GET", "/hello", hello);

        assertThat(router.find("GET", "/hello").handler()).isSameAs(hello);
        assertThat(router.find("GET", "/hello/").found()).isFalse();
        assertThat(router.find("GET", "/hello/x").found()).isFalse();
    }

    @Test
    void prefixMatchesBaseAndEverythingBelow() {
        router.add("GET", "/static/*", files);

        assertThat(router.find("GET", "/static").handler()).isSameAs(files);
        assertThat(router.find("GET", "/static/").handler()).isSameAs(files);
        assertThat(router.find("GET", "/static/css/site.css").handler()).isSameAs(files);
        assertThat(router.find("GET", "/staticx").found()).isFalse();
    }

    @Test
    void longerPrefixWinsOverShorter() {
        router.add("GET", "/*", all);
        router.add("GET", "/static/*", files);
        router.add("GET", "/static/images/*", images);

        assertThat(router.find("GET", "/static/images/a.png").handler()).isSameAs(images);
        assertThat(router.find("GET", "/static/a.css").handler()).isSameAs(files);
        assertThat(router.find("GET", "/other").handler()).isSameAs(all);
    }

    @Test
    void exactPathWinsOverPrefix() {
        router.add("GET", "/static/*", files);
        router.add("GET", "/static/index", hello);

        assertThat(router.find("GET", "/static/index").handler()).isSameAs(hello);
    }

    @Test
    void unknownPathHasNoAllowedMethods() {
        router.add("GET", "/hello", hello);

        Router.Match match = router.find("GET", "/missing");

        assertThat(match.found()).isFalse();
        assertThat(match.allowedMethods()).isEmpty();
    }

    @Test
    void wrongMethodListsAllowedMethods() {
        router.add("GET", "/hello", hello);
        router.add("DELETE", "/hello", hello);

        Router.Match match = router.find("POST", "/hello");

        assertThat(match.found()).isFalse();
        assertThat(match.allowedMethods()).containsExactly("DELETE", "GET", "HEAD");
    }

    @Test
    void methodFromPrefixIsUsedWhenExactPathLacksIt() {
        router.add("POST", "/static/upload", hello);
        router.add("GET", "/static/*", files);

        assertThat(router.find("GET", "/static/upload").handler()).isSameAs(files);
    }

    @Test
    void headFallsBackToGet() {
        router.add("GET", "/hello", hello);

        assertThat(router.find("HEAD", "/hello").handler()).isSameAs(hello);
    }

    @Test
    void explicitHeadHandlerWinsOverGet() {
        router.add("GET", "/hello", hello);
        router.add("HEAD", "/hello", files);

        assertThat(router.find("HEAD", "/hello").handler()).isSameAs(files);
    }

    @Test
    void methodIsCaseInsensitive() {
        router.add("get", "/hello", hello);

        assertThat(router.find("GET", "/hello").handler()).isSameAs(hello);
    }

    @Test
    void duplicateRouteIsRejected() {
        router.add("GET", "/hello", hello);

        assertThatThrownBy(() -> router.add("GET", "/hello", files))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("route GET /hello is already registered");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "hello", "/a*", "/*/b", "/a/*/*", "/a?b"})
    void invalidPatternIsRejected(String pattern) {
        assertThatThrownBy(() -> router.add("GET", pattern, hello))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("path: " + pattern + " (expected:");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "GE T", "GET/"})
    void invalidMethodIsRejected(String method) {
        assertThatThrownBy(() -> router.add(method, "/hello", hello))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("method: ");
    }
}
