package io.tqserver.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.tqserver.config.RunMode;
import io.tqserver.routing.Route;
import io.tqserver.routing.RouteMatch;
import io.tqserver.routing.WorkerInstance;
import io.tqserver.routing.WorkerProtocol;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last handler of a client connection: validates and routes each request and runs one
 * {@link ProxyExchange} at a time. While an exchange runs, further pipelined requests wait in
 * the {@code FlowControlHandler} in front of this handler.
 */
final class FrontendHandler extends ChannelInboundHandlerAdapter {

    /** User event that requests an idle client connection to close because the proxy is stopping. */
    static final Object DRAIN = new Object();

    /**
     * Maximum request body bytes read and dropped after an early response. A client that sends
     * more is cut off, and so is one that takes longer than the read timeout to finish.
     */
    static final long MAX_DISCARDED_BODY_BYTES = 1024 * 1024;

    private static final Logger log = LoggerFactory.getLogger(FrontendHandler.class);

    private final ProxyContext proxy;
    private final RequestHeadDeadline headDeadline;
    private final RequestValidator validator;
    private ClientExchange exchange;
    private boolean readingRequest;
    private boolean closeAfterResponse;
    private boolean discardingBody;
    private long discardedBytes;
    private ScheduledFuture<?> discardDeadline;
    private boolean inputShutdown;
    private long requestStartNanos;
    /** Request-target of the current request as the client sent it, for the access log. */
    private String requestTarget;
    private ExchangeTimers exchangeTimers;

    FrontendHandler(ProxyContext proxy, RequestHeadDeadline headDeadline) {
        this.proxy = proxy;
        this.headDeadline = headDeadline;
        this.validator = new RequestValidator(proxy.settings().limits().maxRequestTargetBytes());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request) {
            onRequest(ctx, request);
        }
        if (msg instanceof HttpContent content) {
            onContent(ctx, content);
        } else if (!(msg instanceof HttpRequest)) {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onRequest(ChannelHandlerContext ctx, HttpRequest request) {
        readingRequest = true;
        closeAfterResponse = false;
        requestStartNanos = System.nanoTime();
        requestTarget = request.uri();
        ProxyFailure invalid = validator.check(request);
        if (invalid != null) {
            log.debug("invalid request from {} status={} cause={}", ctx.channel().remoteAddress(),
                    invalid.status().code(), request.decoderResult());
            sendFailure(ctx, invalid, request, null, true);
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
        if (route.buildFailure() != null && proxy.mode() == RunMode.DEV) {
            // The developer sees the error until a build succeeds, even while the instance of
            // the last good build keeps running.
            sendFailure(ctx, ProxyFailure.BUILD_FAILED, request, route.buildFailure(), !keepAlive);
            return;
        }
        WorkerInstance instance = route.instance();
        if (instance == null || !instance.beginRequest()) {
            refuseUnavailable(ctx, request, keepAlive);
            return;
        }
        startExchange(ctx, request, match.get(), instance, keepAlive);
    }

    private void startExchange(
            ChannelHandlerContext ctx, HttpRequest request, RouteMatch match,
            WorkerInstance instance, boolean keepAlive) {
        if (instance.protocol() instanceof WorkerProtocol.FastCgi) {
            exchange = new FastCgiExchange(ctx, this, proxy, match.route(), instance, request,
                    OriginForm.of(request.uri()), keepAlive);
            exchange.start();
            return;
        }
        String clientAddress =
                ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress().getHostAddress();
        boolean upgrade = ForwardedHeaders.isUpgradeRequest(request);
        Route route = match.route();
        ForwardedHeaders.prepareRequest(
                request, match.workerTarget(), route.prefix(), clientAddress, upgrade);
        exchange = new ProxyExchange(
                ctx, this, proxy, route, instance, request, keepAlive, upgrade);
        headDeadline.pause();
        exchange.start();
    }

    private void refuseUnavailable(
            ChannelHandlerContext ctx, HttpRequest request, boolean keepAlive) {
        sendFailure(ctx, ProxyFailure.NO_INSTANCE, request, null, !keepAlive);
    }

    private void onContent(ChannelHandlerContext ctx, HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        if (last) {
            readingRequest = false;
        }
        if (exchange != null) {
            exchange.onClientContent(content);
            return;
        }
        int size = content.content().readableBytes();
        content.release();
        if (!discardingBody) {
            return;
        }
        discardedBytes += size;
        if (last) {
            ctx.close();
        } else if (discardedBytes > MAX_DISCARDED_BODY_BYTES) {
            log.debug("client body after an early response exceeds {} bytes, closing {}",
                    MAX_DISCARDED_BODY_BYTES, ctx.channel().remoteAddress());
            ctx.close();
        }
    }

    /**
     * Reads and drops the rest of a request body after its response, so that closing does not
     * reset the connection before the client has read the response. The discard is bounded by
     * {@link #MAX_DISCARDED_BODY_BYTES} and by the read timeout.
     */
    private void startDiscarding(ChannelHandlerContext ctx) {
        discardingBody = true;
        discardedBytes = 0;
        long timeoutMillis = proxy.settings().readTimeout().toMillis();
        discardDeadline = ctx.executor().schedule(() -> {
            log.debug("client body after an early response timed out {} timeout_ms={}",
                    ctx.channel().remoteAddress(), timeoutMillis);
            ctx.close();
        }, timeoutMillis, TimeUnit.MILLISECONDS);
        ctx.channel().config().setAutoRead(true);
    }

    /**
     * Sends a response of the proxy's own. When the request still has a body on the way, the
     * connection closes after the response instead of reading the rest.
     *
     * @param request the request being answered, or {@code null} when its head never arrived
     */
    void sendFailure(
            ChannelHandlerContext ctx, ProxyFailure failure, HttpRequest request, String detail,
            boolean close) {
        boolean bodyPending = request != null && readingRequest && hasBody(request);
        boolean closeConnection = close || bodyPending || proxy.draining();
        String shownDetail = proxy.mode() == RunMode.DEV ? detail : null;
        String accept = request == null ? null : request.headers().get(HttpHeaderNames.ACCEPT);
        FullHttpResponse response =
                ErrorResponses.create(ctx.alloc(), failure, accept, shownDetail, closeConnection);
        if (failure == ProxyFailure.NO_ROUTE || failure == ProxyFailure.NO_INSTANCE) {
            log.debug("{} {} uri={}", failure.status().code(), failure, request.uri());
        }
        logAccess(ctx, request, failure.status().code(), response.content().readableBytes(),
                requestStartNanos, null);
        var written = ctx.writeAndFlush(response);
        if (closeConnection) {
            written.addListener(ChannelFutureListener.CLOSE);
            ctx.channel().config().setAutoRead(false);
        }
    }

    /** Sends a finished request to the access log. */
    void logAccess(ChannelHandlerContext ctx, HttpRequest request, int status, long bytes,
            long startNanos, String worker) {
        AccessLogSink sink = proxy.accessLog();
        if (sink == AccessLogSink.NONE) {
            return;
        }
        long elapsedNanos = System.nanoTime() - startNanos;
        Instant arrival = Instant.now().minusNanos(elapsedNanos);
        String client = String.valueOf(ctx.channel().remoteAddress());
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress address) {
            client = address.getAddress().getHostAddress();
        }
        // A request whose head never arrived is logged with - as its method and target.
        String method = request == null ? "-" : request.method().name();
        String target = request == null ? "-" : requestTarget;
        sink.log(new AccessRecord(arrival, client, method, target, status, bytes,
                TimeUnit.NANOSECONDS.toMillis(elapsedNanos), worker));
    }

    private static boolean hasBody(HttpRequest request) {
        if (request.decoderResult().isFailure()) {
            // The framing may be what failed, so the body's end is unknown.
            return true;
        }
        return HttpUtil.isTransferEncodingChunked(request)
                || HttpUtil.getContentLength(request, 0L) > 0;
    }

    void setCloseAfterResponse(boolean close) {
        closeAfterResponse = close;
    }

    /**
     * Readies the connection for the next request, or closes it once the response is out. A
     * response that came before the whole request body is followed by reading and dropping the
     * rest of the body, up to a limit.
     */
    void onExchangeComplete(ClientExchange completed) {
        if (exchange != completed) {
            return;
        }
        exchange = null;
        ChannelHandlerContext ctx = completed.clientContext();
        if (!completed.isRequestComplete() && !completed.isBodyWithheld() && !inputShutdown) {
            startDiscarding(ctx);
            return;
        }
        if (closeAfterResponse || !completed.isRequestComplete() || proxy.draining()) {
            closeWhenFlushed(ctx);
            return;
        }
        ctx.channel().config().setAutoRead(true);
        headDeadline.resume();
        if (inputShutdown && exchange == null && !readingRequest) {
            // No pipelined request was waiting, and no other will come.
            closeWhenFlushed(ctx);
        }
    }

    /** Returns the deadlines shared by the exchanges of this connection, one at a time. */
    ExchangeTimers exchangeTimers(EventExecutor executor) {
        if (exchangeTimers == null) {
            exchangeTimers = new ExchangeTimers(executor);
        }
        return exchangeTimers;
    }

    /** Detaches from the exchange whose connection became a tunnel. */
    void onUpgraded(ProxyExchange upgraded) {
        if (exchange == upgraded) {
            exchange = null;
        }
    }

    private static void closeWhenFlushed(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
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
        if (event == RequestHeadDeadline.EXPIRED) {
            onHeadTimeout(ctx);
            return;
        }
        if (event instanceof ChannelInputShutdownEvent) {
            onInputShutdown(ctx);
            return;
        }
        if (event instanceof IdleStateEvent idle) {
            onIdle(ctx, idle);
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    private void onHeadTimeout(ChannelHandlerContext ctx) {
        log.debug("client request header timed out {} timeout_ms={}",
                ctx.channel().remoteAddress(), proxy.settings().limits().headerTimeout().toMillis());
        if (exchange != null) {
            // The deadline pauses during an exchange, so a 408 here would cut into a response.
            return;
        }
        sendFailure(ctx, ProxyFailure.REQUEST_TIMEOUT, null, null, true);
    }

    /**
     * Handles the client shutting its output. Requests already read are answered; the
     * connection closes after the last of them.
     */
    private void onInputShutdown(ChannelHandlerContext ctx) {
        inputShutdown = true;
        if (exchange == null) {
            ctx.close();
        }
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
        if (exchangeTimers != null) {
            exchangeTimers.stop();
        }
        if (discardDeadline != null) {
            discardDeadline.cancel(false);
        }
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
