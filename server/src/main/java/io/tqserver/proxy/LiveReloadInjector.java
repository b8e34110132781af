package io.tqserver.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Adds the live-reload script to HTML responses in development mode, before the first
 * {@code </body>} or, when there is none, at the end. The body streams through: only the last
 * few bytes of each part wait for the next part, in case {@code </body>} spans the two. A
 * {@code Content-Length} grows by the script's length; chunked bodies need no change.
 *
 * <p>Left as they are: responses that are not {@code text/html}, have a
 * {@code Content-Encoding}, carry {@code Cache-Control: no-transform}, have no body (HEAD, 204,
 * 304, {@code Content-Length: 0}), or are informational or redirects, whose bodies browsers do
 * not show.
 */
final class LiveReloadInjector extends ChannelDuplexHandler {

    /** Reloads the page when its worker swaps or its build fails; EventSource reconnects. */
    static final String SCRIPT = "<script>(function(){var s=new EventSource('"
            + LiveReloadEvents.PATH + "?path='+encodeURIComponent(location.pathname));"
            + "s.addEventListener('reload',function(){s.close();location.reload();});"
            + "})();</script>";

    private static final byte[] SCRIPT_BYTES = SCRIPT.getBytes(StandardCharsets.UTF_8);
    private static final byte[] BODY_END = "</body".getBytes(StandardCharsets.US_ASCII);

    /** Whether the request being responded to is a HEAD, whose response has no body. */
    private boolean headRequest;
    /** Whether the response being written gets the script and has not got it yet. */
    private boolean injecting;
    /** The end of the previous body part, which may hold the start of {@code </body>}. */
    private ByteBuf held;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request) {
            headRequest = HttpMethod.HEAD.equals(request.method());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof FullHttpResponse full) {
            writeFull(ctx, full, promise);
        } else if (msg instanceof HttpResponse response) {
            injecting = isInjectable(response);
            if (injecting) {
                growContentLength(response.headers());
            }
            ctx.write(msg, promise);
        } else if (msg instanceof HttpContent content && injecting) {
            writeBodyPart(ctx, content, promise);
        } else {
            ctx.write(msg, promise);
        }
    }

    private void writeFull(
            ChannelHandlerContext ctx, FullHttpResponse full, ChannelPromise promise) {
        if (!isInjectable(full)) {
            ctx.write(full, promise);
            return;
        }
        ByteBuf body = ctx.alloc().buffer(full.content().readableBytes() + SCRIPT_BYTES.length);
        appendInjected(full.content(), body);
        FullHttpResponse injected = new DefaultFullHttpResponse(full.protocolVersion(),
                full.status(), body, full.headers().copy(), full.trailingHeaders().copy());
        growContentLength(injected.headers());
        full.release();
        ctx.write(injected, promise);
    }

    /** Copies {@code source} to {@code target} with the script before the first body end tag. */
    private static void appendInjected(ByteBuf source, ByteBuf target) {
        int at = indexOfBodyEnd(source);
        if (at < 0) {
            target.writeBytes(source, source.readerIndex(), source.readableBytes());
            target.writeBytes(SCRIPT_BYTES);
            return;
        }
        target.writeBytes(source, source.readerIndex(), at - source.readerIndex());
        target.writeBytes(SCRIPT_BYTES);
        target.writeBytes(source, at, source.writerIndex() - at);
    }

    private void writeBodyPart(
            ChannelHandlerContext ctx, HttpContent content, ChannelPromise promise) {
        boolean last = content instanceof LastHttpContent;
        ByteBuf joined = ctx.alloc().buffer(heldBytes() + content.content().readableBytes());
        if (held != null) {
            joined.writeBytes(held);
            held.release();
            held = null;
        }
        joined.writeBytes(content.content());
        ByteBuf out = ctx.alloc().buffer(joined.readableBytes() + SCRIPT_BYTES.length);
        int at = indexOfBodyEnd(joined);
        if (at >= 0 || last) {
            appendInjected(joined, out);
            joined.release();
            injecting = false;
        } else {
            // Hold back what could be the start of a </body> that the next part completes.
            int keep = Math.min(BODY_END.length - 1, joined.readableBytes());
            out.writeBytes(joined, joined.readerIndex(), joined.readableBytes() - keep);
            held = joined.readerIndex(joined.writerIndex() - keep);
        }
        if (last) {
            HttpHeaders trailers = ((LastHttpContent) content).trailingHeaders();
            ctx.write(new DefaultLastHttpContent(out, trailers.copy()), promise);
        } else {
            ctx.write(new DefaultHttpContent(out), promise);
        }
        content.release();
    }

    private int heldBytes() {
        return held == null ? 0 : held.readableBytes();
    }

    private boolean isInjectable(HttpResponse response) {
        HttpStatusClass statusClass = response.status().codeClass();
        if (headRequest || statusClass == HttpStatusClass.INFORMATIONAL
                || statusClass == HttpStatusClass.REDIRECTION) {
            return false;
        }
        int code = response.status().code();
        if (code == 204 || code == 304) {
            return false;
        }
        HttpHeaders headers = response.headers();
        String type = headers.get(HttpHeaderNames.CONTENT_TYPE);
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("text/html")) {
            return false;
        }
        String encoding = headers.get(HttpHeaderNames.CONTENT_ENCODING);
        if (encoding != null && !encoding.equalsIgnoreCase("identity")) {
            return false;
        }
        long length = contentLength(headers);
        if (length == -2 || length == 0) {
            return false;
        }
        for (String cacheControl : headers.getAll(HttpHeaderNames.CACHE_CONTROL)) {
            if (cacheControl.toLowerCase(Locale.ROOT).contains("no-transform")) {
                return false;
            }
        }
        return true;
    }

    private static void growContentLength(HttpHeaders headers) {
        long length = contentLength(headers);
        if (length >= 0) {
            headers.set(HttpHeaderNames.CONTENT_LENGTH, length + SCRIPT_BYTES.length);
        }
    }

    /** Returns the Content-Length, -1 when there is none, or -2 when it is not a number. */
    private static long contentLength(HttpHeaders headers) {
        String length = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        if (length == null) {
            return -1;
        }
        try {
            return Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            return -2;
        }
    }

    /** Returns the index of the first {@code </body}, in any case, or -1. */
    static int indexOfBodyEnd(ByteBuf buffer) {
        int end = buffer.writerIndex() - BODY_END.length;
        for (int i = buffer.readerIndex(); i <= end; i++) {
            if (matchesBodyEnd(buffer, i)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean matchesBodyEnd(ByteBuf buffer, int index) {
        for (int j = 0; j < BODY_END.length; j++) {
            byte b = buffer.getByte(index + j);
            if (b >= 'A' && b <= 'Z') {
                b = (byte) (b + ('a' - 'A'));
            }
            if (b != BODY_END[j]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (held != null) {
            held.release();
            held = null;
        }
    }
}
