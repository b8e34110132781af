package io.tqserver.staticfiles;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Date;

/**
 * Sends a file from disk as the response to a GET or HEAD request, with {@code Content-Type},
 * {@code ETag}, {@code Last-Modified}, conditional requests (304) and single byte ranges
 * (206, 416). The body goes out as a {@link DefaultFileRegion}, so the file is never read into
 * memory.
 */
public final class StaticFileResponder {

    private StaticFileResponder() {
    }

    /**
     * Writes and flushes the whole response for {@code file}.
     *
     * @param keepAlive whether the connection may stay open after the response
     * @return the future of the last write
     */
    public static ChannelFuture respond(
            ChannelHandlerContext ctx, HttpRequest request, Path file, boolean keepAlive) {
        HttpMethod method = request.method();
        if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) {
            HttpResponse refused = response(HttpResponseStatus.METHOD_NOT_ALLOWED, keepAlive);
            refused.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            refused.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
            ctx.write(refused);
            return ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        }
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            HttpResponse missing = response(HttpResponseStatus.NOT_FOUND, keepAlive);
            missing.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
            ctx.write(missing);
            return ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        }
        long size = attributes.size();
        long modifiedSeconds = attributes.lastModifiedTime().toMillis() / 1000;
        String etag = "\"" + Long.toHexString(size) + "-"
                + Long.toHexString(attributes.lastModifiedTime().toMillis()) + "\"";
        HttpHeaders requestHeaders = request.headers();

        HttpResponse response;
        ByteRange range = null;
        if (isNotModified(requestHeaders, etag, modifiedSeconds)) {
            response = response(HttpResponseStatus.NOT_MODIFIED, keepAlive);
        } else {
            range = rangeOf(requestHeaders, etag, modifiedSeconds, size);
            if (range == ByteRange.UNSATISFIABLE) {
                response = response(HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE,
                        keepAlive);
                response.headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + size);
                response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
                range = null;
            } else if (range != null) {
                response = response(HttpResponseStatus.PARTIAL_CONTENT, keepAlive);
                response.headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes " + range.start()
                        + "-" + (range.start() + range.length() - 1) + "/" + size);
            } else {
                response = response(HttpResponseStatus.OK, keepAlive);
                range = new ByteRange(0, size);
            }
        }
        HttpHeaders headers = response.headers();
        headers.set(HttpHeaderNames.ETAG, etag);
        headers.set(HttpHeaderNames.LAST_MODIFIED, DateFormatter.format(
                new Date(modifiedSeconds * 1000)));
        headers.set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES);
        if (range != null) {
            headers.set(HttpHeaderNames.CONTENT_TYPE, ContentTypes.of(file.getFileName()
                    .toString()));
            headers.set(HttpHeaderNames.CONTENT_LENGTH, range.length());
        }
        ctx.write(response);
        if (range != null && range.length() > 0 && !HttpMethod.HEAD.equals(method)) {
            ctx.write(new DefaultFileRegion(file.toFile(), range.start(), range.length()));
        }
        return ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    /** Applies If-None-Match, or If-Modified-Since when there is no If-None-Match. */
    private static boolean isNotModified(HttpHeaders headers, String etag, long modified) {
        String ifNoneMatch = headers.get(HttpHeaderNames.IF_NONE_MATCH);
        if (ifNoneMatch != null) {
            return matchesEtag(ifNoneMatch, etag);
        }
        String ifModifiedSince = headers.get(HttpHeaderNames.IF_MODIFIED_SINCE);
        Date since = ifModifiedSince == null ? null : DateFormatter.parseHttpDate(ifModifiedSince);
        return since != null && modified <= since.getTime() / 1000;
    }

    /** Returns the requested range, or {@code null} for the whole file. */
    private static ByteRange rangeOf(
            HttpHeaders headers, String etag, long modified, long size) {
        String ifRange = headers.get(HttpHeaderNames.IF_RANGE);
        if (ifRange != null) {
            Date date = DateFormatter.parseHttpDate(ifRange);
            boolean current = date != null ? date.getTime() / 1000 == modified
                    : ifRange.trim().equals(etag);
            if (!current) {
                return null;
            }
        }
        return ByteRange.parse(headers.get(HttpHeaderNames.RANGE), size);
    }

    private static boolean matchesEtag(String header, String etag) {
        for (String candidate : header.split(",")) {
            String tag = candidate.trim();
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals("*") || tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private static HttpResponse response(HttpResponseStatus status, boolean keepAlive) {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return response;
    }
}
