package io.tqserver.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LiveReloadInjectorTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(new LiveReloadInjector());

    @AfterEach
    void closeChannel() {
        channel.finishAndReleaseAll();
    }

    @Test
    void htmlPageGetsScriptBeforeBodyEnd() {
        FullHttpResponse sent = send(HttpMethod.GET, HttpResponseStatus.OK, "text/html",
                "<html><body>hi</body></html>");

        String body = sent.content().toString(StandardCharsets.UTF_8);
        assertThat(body).isEqualTo(
                "<html><body>hi" + LiveReloadInjector.SCRIPT + "</body></html>");
        assertThat(sent.headers().getInt(HttpHeaderNames.CONTENT_LENGTH))
                .isEqualTo(body.getBytes(StandardCharsets.UTF_8).length);
        sent.release();
    }

    @Test
    void redirectKeepsItsBody() {
        FullHttpResponse sent =
                send(HttpMethod.POST, HttpResponseStatus.FOUND, "text/html", "");

        assertThat(sent.content().readableBytes()).isZero();
        assertThat(sent.headers().getInt(HttpHeaderNames.CONTENT_LENGTH)).isZero();
        sent.release();
    }

    @Test
    void emptyHtmlBodyStaysEmpty() {
        FullHttpResponse sent = send(HttpMethod.GET, HttpResponseStatus.OK, "text/html", "");

        assertThat(sent.content().readableBytes()).isZero();
        sent.release();
    }

    @Test
    void jsonIsNotChanged() {
        FullHttpResponse sent = send(HttpMethod.GET, HttpResponseStatus.OK,
                "application/json", "{\"body\":\"</body>\"}");

        assertThat(sent.content().toString(StandardCharsets.UTF_8))
                .isEqualTo("{\"body\":\"</body>\"}");
        sent.release();
    }

    private FullHttpResponse send(
            HttpMethod method, HttpResponseStatus status, String contentType, String body) {
        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, "/"));
        channel.<Object>readInbound();
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length());
        channel.writeOutbound(response);
        return channel.readOutbound();
    }
}
