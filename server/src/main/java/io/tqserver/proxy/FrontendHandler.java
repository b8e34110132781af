package io.tqserver.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.tqserver.config.RunMode;
import io.tqserver.routing.Route;
import io.tqserver.routing.RouteMatch;
import io.tqserver.routing.WorkerInstance;
import java.net.InetSocketAddress;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last handler of a client connection: routes each request and runs one {@link ProxyExchange}
 * at a time. While an exchange runs, further pipelined requests wait in the
 * {@code FlowControlHandler} in front of this handler.
 */
final class FrontendHandler extends ChannelInboundHandlerAdapter {

    /** User event that asks an idle client connection to close because the proxy is stopping. */
    static final Object DRAIN = new Object();

    private static final Logger log = LoggerFactory.getLogger(FrontendHandler.class);

    private final ProxyContext proxy;
    private ProxyExchange exchange;
    private boolean readingRequest;
    private boolean closeAfterResponse;

    FrontendHandler(ProxyContext proxy) {
        this.proxy = proxy;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request) {
            onRequest(ctx, request);
        }
        if (msg instanceof HttpContent content) {
            onContent(content);
        } else if (!(msg instanceof HttpRequest)) {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onRequest(ChannelHandlerContext ctx, HttpRequest request) {
        readingRequest = true;
        closeAfterResponse = false;
        DecoderResult decoded = request.decoderResult();
        if (decoded.isFailure()) {
            log.debug("invalid request from {} cause={}", ctx.channel().remoteAddress(),
                    decoded.cause().toString());
            sendFailure(ctx, failureOf(decoded.cause()), request, null, true);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request) && !proxy.draining();
        String target = OriginForm.of(request.uri());
        if (target == null) {
            sendFailure(ctx, ProxyFailure.BAD_REQUEST, request, null, true);
            return;
        }
        String authority = OriginForm.authority(request.uri());
        if (authority != null) {
            request.headers().set(HttpHeaderNames.HOST, authority);
        }
        Optional<RouteMatch> match = proxy.router().table().match(target);
        if (match.isEmpty()) {
            sendFailure(ctx, ProxyFailure.NO_ROUTE, request, null, !keepAlive);
            return;
        }
        Route route = match.get().route();
        WorkerInstance instance = route.instance();
        if (instance == null || !instance.beginRequest()) {
            refuseUnavailable(ctx, route, request, keepAlive);
            return;
        }
        String clientAddress =
                ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress().getHostAddress();
        ForwardedHeaders.prepareRequest(
                request, match.get().workerTarget(), route.prefix(), clientAddress);
        exchange = new ProxyExchange(ctx, this, proxy, route, instance, request, keepAlive);
        exchange.start();
    }

    private void refuseUnavailable(
            ChannelHandlerContext ctx, Route route, HttpRequest request, boolean keepAlive) {
        if (route.buildFailure() != null && proxy.mode() == RunMode.DEV) {
            sendFailure(ctx, ProxyFailure.BUILD_FAILED, request, route.buildFailure(), !keepAlive);
        } else {
            sendFailure(ctx, ProxyFailure.NO_INSTANCE, request, null, !keepAlive);
        }
    }

    private void onContent(HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        if (last) {
            readingRequest = false;
        }
        if (exchange != null) {
            exchange.onClientContent(content);
            return;
        }
        content.release();
    }

    /**
     * Sends a response of the proxy's own. When the request still has a body on the way, the
     * connection closes after the response instead of reading the rest.
     */
    void sendFailure(
            ChannelHandlerContext ctx, ProxyFailure failure, HttpRequest request, String detail,
            boolean close) {
        boolean bodyPending = readingRequest && hasBody(request);
        boolean closeConnection = close || bodyPending || proxy.draining();
        String shownDetail = proxy.mode() == RunMode.DEV ? detail : null;
        FullHttpResponse response = ErrorResponses.create(ctx.alloc(), failure,
                request.headers().get(HttpHeaderNames.ACCEPT), shownDetail, closeConnection);
        if (failure == ProxyFailure.NO_ROUTE || failure == ProxyFailure.NO_INSTANCE) {
            log.debug("{} {} uri={}", failure.status().code(), failure, request.uri());
        }
        var written = ctx.writeAndFlush(response);
        if (closeConnection) {
            written.addListener(ChannelFutureListener.CLOSE);
            ctx.channel().config().setAutoRead(false);
        }
    }

    private static boolean hasBody(HttpRequest request) {
        return HttpUtil.isTransferEncodingChunked(request)
                || HttpUtil.getContentLength(request, 0L) > 0;
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

    void setCloseAfterResponse(boolean close) {
        closeAfterResponse = close;
    }

    /** Readies the connection for the next request, or closes it once the response is out. */
    void onExchangeComplete(ProxyExchange completed) {
        if (exchange != completed) {
            return;
        }
        exchange = null;
        ChannelHandlerContext ctx = completed.clientContext();
        if (closeAfterResponse || !completed.isRequestComplete() || proxy.draining()) {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER)
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.channel().config().setAutoRead(true);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.onClientWritabilityChanged(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event == DRAIN) {
            if (exchange == null && !readingRequest) {
                ctx.close();
            }
            return;
        }
        if (event instanceof IdleStateEvent idle) {
            onIdle(ctx, idle);
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    /**
     * Applies the server's timeouts: reading a request that stalls, a write the client does not
     * take, and a keep-alive connection with no request.
     */
    private void onIdle(ChannelHandlerContext ctx, IdleStateEvent idle) {
        if (idle.state() == IdleState.READER_IDLE && readingRequest
                && ctx.channel().config().isAutoRead()) {
            log.debug("client read timed out {}", ctx.channel().remoteAddress());
            ctx.close();
        } else if (idle.state() == IdleState.WRITER_IDLE && hasPendingWrites(ctx)) {
            log.debug("client write timed out {}", ctx.channel().remoteAddress());
            ctx.close();
        } else if (idle.state() == IdleState.ALL_IDLE && exchange == null && !readingRequest) {
            ctx.close();
        }
    }

    private static boolean hasPendingWrites(ChannelHandlerContext ctx) {
        ChannelOutboundBuffer outbound = ctx.channel().unsafe().outboundBuffer();
        return outbound != null && outbound.totalPendingWriteBytes() > 0;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.onClientClosed();
            exchange = null;
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("client connection failed {} cause={}", ctx.channel().remoteAddress(),
                cause.toString());
        ctx.close();
    }
}
