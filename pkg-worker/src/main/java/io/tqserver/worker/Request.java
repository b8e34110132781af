package io.tqserver.worker;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP request as a handler sees it. The path is relative to the worker's route, because the
 * proxy strips the route prefix before forwarding. A request is used by one handler thread
 * and is not thread-safe.
 */
public final class Request {

    /** Maximum body size that {@link #bodyAsString()} reads: 1 MiB. */
    public static final int DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

    private final HttpExchange exchange;
    private final String path;
    private QueryString query;

    Request(HttpExchange exchange) {
        this.exchange = exchange;
        String rawPath = exchange.getRequestURI().getRawPath();
        this.path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
    }

    /** Returns the request method in upper case, such as {@code GET}. */
    public String method() {
        return exchange.getRequestMethod();
    }

    /** Returns the path as sent, still percent-encoded, such as {@code /files/a%20b}. */
    public String path() {
        return path;
    }

    /** Returns the query string as sent, without {@code ?}, or {@code null} if there is none. */
    public String rawQuery() {
        return exchange.getRequestURI().getRawQuery();
    }

    /**
     * Returns the first decoded value of query parameter {@code name}, or {@code null} if it is
     * absent. A parameter without {@code =} has the value {@code ""}.
     *
     * @throws HttpStatusException with status 400 if the query string is not valid
     *     percent-encoded UTF-8
     */
    public String queryParam(String name) {
        List<String> values = queryParams(name);
        return values.isEmpty() ? null : values.get(0);
    }

    /** Returns the first decoded value of query parameter {@code name}, or {@code fallback}. */
    public String queryParam(String name, String fallback) {
        String value = queryParam(name);
        return value == null ? fallback : value;
    }

    /** Returns all decoded values of query parameter {@code name} in request order. */
    public List<String> queryParams(String name) {
        return queryString().values(name);
    }

    /** Returns all decoded query parameters in request order. */
    public Map<String, List<String>> queryParams() {
        return queryString().all();
    }

    /** Returns the first value of header {@code name}, ignoring case, or {@code null}. */
    public String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    /** Returns all request headers; lookups ignore the case of names. The map is read-only. */
    public Map<String, List<String>> headers() {
        return Collections.unmodifiableMap(exchange.getRequestHeaders());
    }

    /**
     * Returns the address of the connection's other end. Behind TQServer that is the proxy on
     * 127.0.0.1, not the client.
     */
    public InetSocketAddress remoteAddress() {
        return exchange.getRemoteAddress();
    }

    /**
     * Returns the request body as it arrives from the connection, without buffering it. The
     * runtime closes the stream after the handler returns.
     */
    public InputStream body() {
        return exchange.getRequestBody();
    }

    /**
     * Reads the whole body as text of at most {@link #DEFAULT_MAX_BODY_BYTES}.
     *
     * @see #bodyAsString(int)
     */
    public String bodyAsString() throws IOException {
        return bodyAsString(DEFAULT_MAX_BODY_BYTES);
    }

    /**
     * Reads the whole body as text, decoded with the {@code charset} of {@code Content-Type}
     * or UTF-8 when it names none.
     *
     * @throws HttpStatusException with status 413 if the body is longer than {@code maxBytes},
     *     or 415 if the charset is not supported
     */
    public String bodyAsString(int maxBytes) throws IOException {
        Charset charset = bodyCharset();
        return new String(bodyAsBytes(maxBytes), charset);
    }

    /**
     * Reads the whole body into memory.
     *
     * @throws HttpStatusException with status 413 if the body is longer than {@code maxBytes}
     */
    public byte[] bodyAsBytes(int maxBytes) throws IOException {
        if (maxBytes < 0 || maxBytes == Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "maxBytes: " + maxBytes + " (expected: 0 to " + (Integer.MAX_VALUE - 1) + ")");
        }
        rejectDeclaredLengthOver(maxBytes);
        byte[] bytes = body().readNBytes(maxBytes + 1);
        if (bytes.length > maxBytes) {
            throw new HttpStatusException(413, "request body exceeds " + maxBytes + " bytes");
        }
        return bytes;
    }

    private void rejectDeclaredLengthOver(int maxBytes) {
        String declared = header("Content-Length");
        if (declared == null) {
            return;
        }
        try {
            if (Long.parseLong(declared.trim()) > maxBytes) {
                throw new HttpStatusException(413, "request body exceeds " + maxBytes + " bytes");
            }
        } catch (NumberFormatException e) {
            // The JDK server rejects invalid lengths before a handler runs; reading decides.
        }
    }

    private Charset bodyCharset() {
        String contentType = header("Content-Type");
        if (contentType == null) {
            return StandardCharsets.UTF_8;
        }
        for (String parameter : contentType.split(";")) {
            String trimmed = parameter.trim();
            if (trimmed.toLowerCase(Locale.ROOT).startsWith("charset=")) {
                return charsetNamed(trimmed.substring("charset=".length()).replace("\"", ""));
            }
        }
        return StandardCharsets.UTF_8;
    }

    private static Charset charsetNamed(String name) {
        try {
            return Charset.forName(name);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new HttpStatusException(415, "unsupported charset: " + name);
        }
    }

    private QueryString queryString() {
        if (query == null) {
            query = QueryString.parse(rawQuery());
        }
        return query;
    }
}
