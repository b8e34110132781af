package io.tqserver.proxy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A response as read off the client socket.
 *
 * @param statusLine the first line, such as {@code HTTP/1.1 200 OK}
 * @param headers header fields keyed case-insensitively
 * @param body the decoded body, empty when the response has none
 */
record RawResponse(String statusLine, Map<String, List<String>> headers, byte[] body) {

    int status() {
        return Integer.parseInt(statusLine.split(" ")[1]);
    }

    /** Returns the first value of header {@code name}, or {@code null} when it is absent. */
    String header(String name) {
        List<String> values = headers.get(name);
        return values == null ? null : values.get(0);
    }

    boolean hasHeader(String name) {
        return headers.containsKey(name);
    }

    String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    boolean isChunked() {
        return HttpWire.isChunked(headers);
    }
}
