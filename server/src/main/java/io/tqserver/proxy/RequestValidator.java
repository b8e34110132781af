package io.tqserver.proxy;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.util.List;

/**
 * Checks a decoded request head before anything of it reaches a worker. Netty's decoder already
 * rejects a malformed request line or header field, {@code Content-Length} together with
 * {@code Transfer-Encoding}, repeated {@code Content-Length} values and a final transfer coding
 * other than chunked; this class maps those failures to statuses and adds the rules the decoder
 * leaves to the server: the HTTP version, the request-target length and characters, the
 * {@code Host} field and a {@code Transfer-Encoding} of anything but a single {@code chunked}.
 */
final class RequestValidator {

    private final int maxRequestTargetBytes;

    RequestValidator(int maxRequestTargetBytes) {
        this.maxRequestTargetBytes = maxRequestTargetBytes;
    }

    /** Returns the failure {@code request} must be answered with, or {@code null} if it is valid. */
    ProxyFailure check(HttpRequest request) {
        DecoderResult decoded = request.decoderResult();
        if (decoded.isFailure()) {
            return failureOf(decoded.cause());
        }
        HttpVersion version = request.protocolVersion();
        if (version.majorVersion() != 1 || version.minorVersion() > 1) {
            return ProxyFailure.VERSION_NOT_SUPPORTED;
        }
        String target = request.uri();
        if (target.length() > maxRequestTargetBytes) {
            return ProxyFailure.URI_TOO_LONG;
        }
        if (!isVisibleAscii(target) || hasUserInfo(target)) {
            return ProxyFailure.BAD_REQUEST;
        }
        HttpHeaders headers = request.headers();
        List<String> hosts = headers.getAll(HttpHeaderNames.HOST);
        boolean http11 = version.minorVersion() == 1;
        if (hosts.size() > 1 || (http11 && hosts.isEmpty())) {
            return ProxyFailure.BAD_REQUEST;
        }
        return checkTransferEncoding(headers, http11);
    }

    /**
     * Returns whether every character of {@code target} is a visible US-ASCII character, as the
     * URI syntax of a request-target requires (RFC 9112 section 3.2). The decoder reads the line
     * as ISO-8859-1 and the encoder writes it as UTF-8, so a byte above 0x7F would reach the
     * worker changed, and a control character such as NUL could end the target early there.
     */
    private static boolean isVisibleAscii(String target) {
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c >= 0x7F) {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns whether an absolute-form {@code target} carries userinfo ({@code user@host}). Its
     * authority replaces the {@code Host} field, and an http URI with userinfo is an error
     * (RFC 9110 section 4.2.4).
     */
    private static boolean hasUserInfo(String target) {
        String authority = OriginForm.authority(target);
        return authority != null && authority.indexOf('@') >= 0;
    }

    /**
     * Accepts only one {@code Transfer-Encoding} field whose value is {@code chunked}, and none
     * in HTTP/1.0, which has no transfer codings (RFC 9112 section 6.1). The proxy re-frames
     * every body itself, so another coding could not be passed on faithfully, and a request whose
     * framing the proxy and a worker might read differently must never be forwarded.
     */
    private static ProxyFailure checkTransferEncoding(HttpHeaders headers, boolean http11) {
        List<String> codings = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
        if (codings.isEmpty()) {
            return null;
        }
        if (!http11 || codings.size() > 1 || !codings.get(0).trim().equalsIgnoreCase("chunked")) {
            return ProxyFailure.BAD_REQUEST;
        }
        return null;
    }

    private static ProxyFailure failureOf(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            return ProxyFailure.URI_TOO_LONG;
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return ProxyFailure.HEADERS_TOO_LARGE;
        }
        return ProxyFailure.BAD_REQUEST;
    }
}
