package io.tqserver.e2e;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A response as read off a client socket.
 *
 * @param statusLine the first line, such as {@code HTTP/1.1 200 OK}
 * @param headers header fields keyed case-insensitively, values in order
 * @param body the decoded body; empty when not read or absent
 */
record HttpResponse(String statusLine, Map<String, List<String>> headers, byte[] body) {

    int status() {
        return Integer.parseInt(statusLine.split(" ")[1]);
    }

    /** Returns the first value of header {@code name}, or {@code null} when it is absent. */
    String header(String name) {
        List<String> values = headers.get(name);
        return values == null ? null : values.get(0);
    }

    String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    HttpResponse withBody(byte[] newBody) {
        return new HttpResponse(statusLine, headers, newBody);
    }

    /** Returns the body of an echo test worker's response, parsed. */
    EchoedRequest echoed() {
        return EchoedRequest.parse(bodyText());
    }
}
