package io.tqserver.proxy;

import java.util.List;
import java.util.Map;

/**
 * A request as a test worker received it.
 *
 * @param head the request line and header fields separated by CRLF, without the final empty line
 * @param body the decoded body
 */
record ReceivedRequest(String head, byte[] body) {

    /** Returns the request that {@link TestWorker} echoed in the body of {@code response}. */
    static ReceivedRequest fromEcho(RawResponse response) {
        return new ReceivedRequest(response.bodyText(), new byte[0]);
    }

    String requestLine() {
        return HttpWire.startLine(head);
    }

    String method() {
        return requestLine().split(" ")[0];
    }

    String target() {
        return requestLine().split(" ")[1];
    }

    Map<String, List<String>> headers() {
        return HttpWire.parseHeaders(head);
    }

    /** Returns the first value of header {@code name}, or {@code null} when it is absent. */
    String header(String name) {
        List<String> values = headers().get(name);
        return values == null ? null : values.get(0);
    }

    boolean hasHeader(String name) {
        return headers().containsKey(name);
    }
}
