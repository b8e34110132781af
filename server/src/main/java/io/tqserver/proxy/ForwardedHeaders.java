package io.tqserver.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.util.List;

/**
 * Rewrites headers as a message crosses the proxy: hop-by-hop headers (RFC 9110 section 7.6.1)
 * are removed both ways, requests gain the {@code X-Forwarded-*} headers, and message framing is
 * set for the connection the message leaves on.
 */
final class ForwardedHeaders {

    static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
    static final AsciiString X_FORWARDED_PREFIX = AsciiString.cached("x-forwarded-prefix");

    private static final AsciiString KEEP_ALIVE = AsciiString.cached("keep-alive");
    private static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");
    private static final List<AsciiString> HOP_BY_HOP = List.of(
            HttpHeaderNames.CONNECTION, KEEP_ALIVE, PROXY_CONNECTION,
            HttpHeaderNames.TE, HttpHeaderNames.UPGRADE);

    private ForwardedHeaders() {
    }

    /**
     * Returns whether {@code request} asks to switch protocols, as a WebSocket handshake does:
     * an HTTP/1.1 request with an {@code Upgrade} field that {@code Connection} names.
     */
    static boolean isUpgradeRequest(HttpRequest request) {
        HttpHeaders headers = request.headers();
        return request.protocolVersion().equals(HttpVersion.HTTP_1_1)
                && headers.contains(HttpHeaderNames.UPGRADE)
                && headers.containsValue(
                        HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
    }

    /**
     * Prepares a client's request for the worker, in place.
     *
     * @param workerTarget request-target with the route prefix removed
     * @param prefix the route prefix, sent as {@code X-Forwarded-Prefix} unless it is {@code /}
     * @param clientAddress the client's IP address, appended to {@code X-Forwarded-For}
     * @param upgrade whether to pass the request's {@code Upgrade} field on to the worker
     */
    static void prepareRequest(
            HttpRequest request, String workerTarget, String prefix, String clientAddress,
            boolean upgrade) {
        HttpHeaders headers = request.headers();
        boolean chunked = HttpUtil.isTransferEncodingChunked(request);
        String protocols = headers.get(HttpHeaderNames.UPGRADE);
        if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
            // An HTTP/1.0 client cannot take 100 Continue, so its expectation is dropped
            // (RFC 9110 section 10.1.1).
            headers.remove(HttpHeaderNames.EXPECT);
        }
        removeHopByHop(headers);
        if (upgrade) {
            headers.set(HttpHeaderNames.UPGRADE, protocols);
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        }
        request.setUri(workerTarget);
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
        if (chunked) {
            // The proxy re-frames the body in chunks of its own on the worker connection.
            headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        String forwardedFor = headers.get(X_FORWARDED_FOR);
        headers.set(X_FORWARDED_FOR,
                forwardedFor == null ? clientAddress : forwardedFor + ", " + clientAddress);
        headers.set(X_FORWARDED_PROTO, "http");
        String host = headers.get(HttpHeaderNames.HOST);
        if (host != null) {
            headers.set(X_FORWARDED_HOST, host);
        }
        if (prefix.length() > 1) {
            headers.set(X_FORWARDED_PREFIX, prefix);
        } else {
            headers.remove(X_FORWARDED_PREFIX);
        }
    }

    /**
     * Prepares a worker's response for the client, in place.
     *
     * @param clientVersion HTTP version of the client's request
     * @param keepAlive whether the client connection stays open after this response
     * @param bodyless whether the response has no body whatever its headers say, as for HEAD,
     *     204 and 304
     * @return whether the client connection can stay open after this response
     */
    static boolean prepareResponse(
            HttpResponse response, HttpVersion clientVersion, boolean keepAlive,
            boolean bodyless) {
        HttpHeaders headers = response.headers();
        boolean chunked = HttpUtil.isTransferEncodingChunked(response);
        boolean delimited = chunked || headers.contains(HttpHeaderNames.CONTENT_LENGTH);
        removeHopByHop(headers);
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
        boolean http10 = clientVersion.equals(HttpVersion.HTTP_1_0);
        if (!bodyless && (chunked || !delimited)) {
            if (http10) {
                // HTTP/1.0 has no chunked coding: the body ends when the connection closes.
                headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
                keepAlive = false;
            } else {
                headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            }
        }
        if (!keepAlive) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (http10) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        return keepAlive;
    }

    /** Prepares an interim 1xx response other than 101 for the client, in place. */
    static void prepareInformational(HttpResponse response) {
        removeHopByHop(response.headers());
    }

    /** Prepares a worker's {@code 101} response for the client, keeping its upgrade fields. */
    static void prepareSwitchingProtocols(HttpResponse response) {
        HttpHeaders headers = response.headers();
        String protocols = headers.get(HttpHeaderNames.UPGRADE);
        removeHopByHop(headers);
        if (protocols != null) {
            headers.set(HttpHeaderNames.UPGRADE, protocols);
        }
        headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
    }

    /** Removes the hop-by-hop headers and every header that {@code Connection} names. */
    private static void removeHopByHop(HttpHeaders headers) {
        for (String connection : headers.getAll(HttpHeaderNames.CONNECTION)) {
            for (String token : connection.split(",")) {
                String name = token.trim();
                if (!name.isEmpty() && !isProtected(name)) {
                    headers.remove(name);
                }
            }
        }
        for (AsciiString name : HOP_BY_HOP) {
            headers.remove(name);
        }
        headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
    }

    /**
     * Returns whether {@code name} frames the message or names its origin, so that listing it
     * in {@code Connection} must not remove it: without it, the body of a request would reach
     * the worker as the start of another request.
     */
    private static boolean isProtected(String name) {
        return HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name)
                || HttpHeaderNames.HOST.contentEqualsIgnoreCase(name);
    }
}
