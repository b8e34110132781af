package io.tqserver.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * Builds the responses the proxy sends on its own behalf: a small HTML page for browsers and
 * plain text for other clients. Pages never carry stack traces or internal addresses; only the
 * compiler output of a failed dev build is shown, because the developer asked for it.
 */
final class ErrorResponses {

    /** Seconds a client is asked to wait before retrying while a worker has no instance. */
    static final int RETRY_AFTER_SECONDS = 1;

    private ErrorResponses() {
    }

    /**
     * Creates the response for {@code failure}.
     *
     * @param accept the request's Accept header, or {@code null}
     * @param detail text shown below the description, or {@code null}
     * @param close whether the connection closes after this response
     */
    static FullHttpResponse create(
            ByteBufAllocator allocator, ProxyFailure failure, String accept, String detail,
            boolean close) {
        HttpResponseStatus status = failure.status();
        boolean html = accept != null && accept.contains("text/html");
        String body = html ? htmlBody(status, failure.description(), detail)
                : textBody(status, failure.description(), detail);
        ByteBuf content = allocator.buffer(body.length()).writeBytes(
                body.getBytes(StandardCharsets.UTF_8));
        FullHttpResponse response =
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        HttpHeaders headers = response.headers();
        headers.set(HttpHeaderNames.CONTENT_TYPE, html ? "text/html; charset=utf-8"
                : "text/plain; charset=utf-8");
        headers.setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        headers.set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        if (failure == ProxyFailure.NO_INSTANCE) {
            headers.setInt(HttpHeaderNames.RETRY_AFTER, RETRY_AFTER_SECONDS);
        }
        if (close) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return response;
    }

    private static String textBody(HttpResponseStatus status, String description, String detail) {
        StringBuilder body = new StringBuilder()
                .append(status.code()).append(' ').append(status.reasonPhrase()).append('\n')
                .append(description).append('\n');
        if (detail != null) {
            body.append('\n').append(detail).append('\n');
        }
        return body.toString();
    }

    private static String htmlBody(HttpResponseStatus status, String description, String detail) {
        String title = status.code() + " " + escapeHtml(status.reasonPhrase());
        StringBuilder body = new StringBuilder()
                .append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
                .append(title)
                .append("</title></head>\n<body style=\"font-family:sans-serif;margin:2em\">")
                .append("<h1>").append(title).append("</h1>\n<p>")
                .append(escapeHtml(description)).append("</p>\n");
        if (detail != null) {
            body.append("<pre style=\"background:#f6f6f6;padding:1em;overflow:auto\">")
                    .append(escapeHtml(detail)).append("</pre>\n");
        }
        return body.append("<hr><p>TQServer</p>\n</body></html>\n").toString();
    }

    /** Escapes the five characters that are special in HTML text and attribute values. */
    static String escapeHtml(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
