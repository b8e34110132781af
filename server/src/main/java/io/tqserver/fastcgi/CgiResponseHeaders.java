package io.tqserver.fastcgi;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parses the header block of a CGI response (RFC 3875 section 6) into an HTTP response. The
 * {@code Status} header sets the status and is removed; without it, a {@code Location} header
 * means 302 and anything else 200. Repeated headers such as {@code Set-Cookie} stay separate.
 */
final class CgiResponseHeaders {

    private static final Logger log = LoggerFactory.getLogger(CgiResponseHeaders.class);
    private static final String STATUS = "status";

    private CgiResponseHeaders() {
    }

    /**
     * Returns the index just past the blank line that ends the header block, accepting CRLF or
     * bare LF line ends, or -1 when the block has not ended yet.
     */
    static int endOfHeaders(ByteBuf block) {
        int end = block.writerIndex();
        for (int i = block.readerIndex(); i < end; i++) {
            if (block.getByte(i) != '\n') {
                continue;
            }
            if (i + 1 < end && block.getByte(i + 1) == '\n') {
                return i + 2;
            }
            if (i + 2 < end && block.getByte(i + 1) == '\r' && block.getByte(i + 2) == '\n') {
                return i + 3;
            }
        }
        return -1;
    }

    static HttpResponse parse(String block) {
        HttpHeaders headers = DefaultHttpHeadersFactory.headersFactory().newHeaders();
        HttpResponseStatus status = null;
        for (String line : block.split("\r?\n")) {
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                log.debug("CGI header line without a name skipped line={}", line);
                continue;
            }
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (name.equalsIgnoreCase(STATUS)) {
                status = parseStatus(value);
                continue;
            }
            try {
                headers.add(name, value);
            } catch (IllegalArgumentException e) {
                log.debug("invalid CGI header skipped name={} cause={}", name, e.toString());
            }
        }
        if (status == null) {
            status = headers.contains(HttpHeaderNames.LOCATION)
                    ? HttpResponseStatus.FOUND : HttpResponseStatus.OK;
        }
        return new DefaultHttpResponse(HttpVersion.HTTP_1_1, status, headers);
    }

    /** Parses {@code 404} or {@code 404 Not Found}; an invalid value reads as 502. */
    private static HttpResponseStatus parseStatus(String value) {
        String code = value.length() >= 3 ? value.substring(0, 3) : value;
        try {
            int number = Integer.parseInt(code);
            if (number < 100 || number > 999) {
                throw new NumberFormatException("out of range");
            }
            String reason = value.length() > 4 ? value.substring(4).trim() : "";
            return reason.isEmpty() ? HttpResponseStatus.valueOf(number)
                    : new HttpResponseStatus(number, reason);
        } catch (IllegalArgumentException e) {
            log.debug("invalid CGI Status header value={}", value);
            return HttpResponseStatus.BAD_GATEWAY;
        }
    }
}
