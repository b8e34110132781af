package io.tqserver.worker;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * HTTP response that a handler fills in: status and headers first, then the body once, either
 * whole with {@link #send(byte[])} or streamed with {@link #outputStream()}. A response is used
 * by one handler thread and is not thread-safe.
 */
public final class Response {

    private static final String TEXT_UTF8 = "text/plain; charset=utf-8";
    private static final String BINARY = "application/octet-stream";

    /**
     * Largest single write of a body sent whole. The JDK 17 server copies each write into a
     * heap buffer of the connection that grows to twice the write's length and is kept for the
     * connection's life, so writing a 1 MiB body at once pins 2 MiB per keep-alive connection
     * and 256 such connections exhaust a 256 MiB heap.
     */
    static final int MAX_WRITE_BYTES = 32 * 1024;

    private final HttpExchange exchange;
    private final boolean headRequest;
    private int status = 200;
    private boolean committed;

    Response(HttpExchange exchange) {
        this.exchange = exchange;
        this.headRequest = "HEAD".equals(exchange.getRequestMethod());
    }

    /**
     * Sets the status code; the default is 200.
     *
     * @throws IllegalArgumentException if {@code status} is not from 100 to 599
     * @throws IllegalStateException if the response was already sent
     */
    public Response status(int status) {
        checkNotCommitted();
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status: " + status + " (expected: 100 to 599)");
        }
        this.status = status;
        return this;
    }

    /** Returns the status code set so far. */
    public int status() {
        return status;
    }

    /**
     * Adds a header value. Calling it again with the same name adds another line, as
     * {@code Set-Cookie} needs.
     *
     * @throws IllegalStateException if the response was already sent
     */
    public Response header(String name, String value) {
        checkNotCommitted();
        exchange.getResponseHeaders().add(name, value);
        return this;
    }

    /**
     * Sets a header, replacing any values added before.
     *
     * @throws IllegalStateException if the response was already sent
     */
    public Response setHeader(String name, String value) {
        checkNotCommitted();
        exchange.getResponseHeaders().set(name, value);
        return this;
    }

    /** Sets {@code Content-Type}, such as {@code text/html; charset=utf-8}. */
    public Response contentType(String contentType) {
        return setHeader("Content-Type", contentType);
    }

    /**
     * Sends {@code body} encoded as UTF-8 with its {@code Content-Length}. Without a
     * {@code Content-Type} set before, the type is {@code text/plain; charset=utf-8}.
     *
     * @throws IllegalStateException if the response was already sent
     */
    public void send(String body) throws IOException {
        sendWithDefaultType(body.getBytes(StandardCharsets.UTF_8), TEXT_UTF8);
    }

    /**
     * Sends {@code body} with its {@code Content-Length}. Without a {@code Content-Type} set
     * before, the type is {@code application/octet-stream}.
     *
     * @throws IllegalStateException if the response was already sent, or if the status does not
     *     allow a body (1xx, 204, 304) and {@code body} is not empty
     */
    public void send(byte[] body) throws IOException {
        sendWithDefaultType(body, BINARY);
    }

    /**
     * Sends the status and headers and returns a stream for a body of unknown length. HTTP/1.1
     * clients receive it chunked, and HTTP/1.0 clients until the connection closes. Writes go
     * out in chunks of a few KiB as they are made, so a large body never sits in memory. The
     * runtime closes the stream after the handler returns.
     *
     * @throws IllegalStateException if the response was already sent
     */
    public OutputStream outputStream() throws IOException {
        commit();
        if (headRequest || !allowsBody(status)) {
            exchange.sendResponseHeaders(status, -1);
            return OutputStream.nullOutputStream();
        }
        exchange.sendResponseHeaders(status, 0);
        return exchange.getResponseBody();
    }

    /** Returns whether the status line and headers were sent. */
    public boolean isCommitted() {
        return committed;
    }

    /** Sends an empty body when the handler sent nothing. */
    void finish() throws IOException {
        if (!committed) {
            send(new byte[0]);
        }
    }

    private void sendWithDefaultType(byte[] body, String defaultType) throws IOException {
        checkNotCommitted();
        if (!allowsBody(status)) {
            if (body.length > 0) {
                throw new IllegalStateException("status " + status + " does not allow a body");
            }
            commit();
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        if (body.length > 0 && !exchange.getResponseHeaders().containsKey("Content-Type")) {
            exchange.getResponseHeaders().set("Content-Type", defaultType);
        }
        commit();
        sendBody(body);
    }

    private void sendBody(byte[] body) throws IOException {
        if (headRequest) {
            // The JDK server sends no Content-Length for HEAD, so the handler's length is set
            // here and the headers go out with -1, which means no body.
            exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        if (body.length == 0) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            for (int offset = 0; offset < body.length; offset += MAX_WRITE_BYTES) {
                out.write(body, offset, Math.min(MAX_WRITE_BYTES, body.length - offset));
            }
        }
    }

    private static boolean allowsBody(int status) {
        return status >= 200 && status != 204 && status != 304;
    }

    private void commit() {
        checkNotCommitted();
        committed = true;
    }

    private void checkNotCommitted() {
        if (committed) {
            throw new IllegalStateException("response already sent");
        }
    }
}
