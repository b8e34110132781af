package io.tqserver.proxy;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.List;

/**
 * Serves {@value LiveReloadEvents#PATH} in development mode: a {@code GET} with the page's path
 * in the {@code path} query parameter gets a {@code text/event-stream} that stays open and
 * carries the page's reload events. Every other request passes on to the
 * {@link FrontendHandler}. Installed only in development mode, so in production the path is
 * routed like any other.
 */
final class LiveReloadEventsHandler extends ChannelInboundHandlerAdapter {

    /** Milliseconds a browser waits before reconnecting a closed stream. */
    static final int RETRY_MILLIS = 500;

    private final LiveReloadEvents events;
    /** Whether this connection carries an event stream, so the rest of its input is dropped. */
    private boolean streaming;

    LiveReloadEventsHandler(LiveReloadEvents events) {
        this.events = events;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (streaming) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest request && request.decoderResult().isSuccess()
                && isEventsPath(request.uri())) {
            startStream(ctx, request);
            ReferenceCountUtil.release(msg);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private static boolean isEventsPath(String uri) {
        return uri.equals(LiveReloadEvents.PATH) || uri.startsWith(LiveReloadEvents.PATH + "?");
    }

    private void startStream(ChannelHandlerContext ctx, HttpRequest request) {
        streaming = true;
        if (!HttpMethod.GET.equals(request.method())) {
            FullHttpResponse rejected = new DefaultFullHttpResponse(
                    HttpVersion.HTTP_1_1, HttpResponseStatus.METHOD_NOT_ALLOWED);
            rejected.headers().set(HttpHeaderNames.ALLOW, HttpMethod.GET.name())
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, 0)
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(rejected).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .set(HttpHeaderNames.CACHE_CONTROL, "no-cache, no-transform")
                .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        ctx.write(response);
        String greeting = "retry: " + RETRY_MILLIS + "\n: watching " + pagePath(request) + "\n\n";
        ctx.writeAndFlush(new DefaultHttpContent(LiveReloadEvents.text(greeting)))
                .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        events.subscribe(ctx.channel(), pagePath(request));
    }

    /** Returns the {@code path} query parameter when it is an absolute path, else {@code /}. */
    private static String pagePath(HttpRequest request) {
        List<String> values = new QueryStringDecoder(request.uri()).parameters().get("path");
        if (values == null || values.isEmpty() || !values.get(0).startsWith("/")) {
            return "/";
        }
        return values.get(0);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (streaming && event instanceof IdleStateEvent) {
            // An event stream is idle between reloads by design: keep it open with a comment,
            // which also finds browsers that went away.
            ctx.writeAndFlush(new DefaultHttpContent(LiveReloadEvents.text(": ping\n\n")))
                    .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            return;
        }
        ctx.fireUserEventTriggered(event);
    }
}
