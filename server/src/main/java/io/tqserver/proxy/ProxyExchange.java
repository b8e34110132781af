package io.tqserver.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.Future;
import io.tqserver.config.ServerConfig;
import io.tqserver.routing.Route;
import io.tqserver.routing.WorkerInstance;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request relayed from a client to a worker instance and its response relayed back. Both
 * connections run on the same event loop, so the exchange needs no locking. Bodies stream
 * through in both directions: when one side cannot take more data, reading from the other side
 * pauses until it can. A {@code 101} response to an upgrade request turns both connections into
 * a {@link Tunnel}.
 */
final class ProxyExchange extends ClientExchange {

    private static final Logger log = LoggerFactory.getLogger(ProxyExchange.class);

    /** Methods whose request may be sent twice without a different effect (RFC 9110 9.2.2). */
    private static final Set<HttpMethod> IDEMPOTENT = Set.of(
            HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.TRACE,
            HttpMethod.PUT, HttpMethod.DELETE);

    /**
     * How long the proxy waits for a worker to answer {@code Expect: 100-continue} before it
     * sends {@code 100 Continue} itself, so that a worker that ignores the expectation does not
     * stall the upload.
     */
    private static final long CONTINUE_FALLBACK_MS = 1_000;

    private final ChannelHandlerContext client;
    private final FrontendHandler frontend;
    private final ProxyContext proxy;
    private final WorkerInstance instance;
    private final HttpRequest request;
    private final boolean clientKeepAlive;
    private final boolean head;
    private final boolean hasBody;
    private final boolean expectsContinue;
    private final boolean upgradeRequested;
    private final ExchangeTimers timers;
    private final Duration responseTimeout;
    private final ArrayDeque<HttpContent> pendingBody = new ArrayDeque<>();
    private final List<ByteBuf> tunnelBytes = new ArrayList<>();
    private Channel worker;
    /**
     * The response head, held until the first body part or the end of the worker read, so that
     * a small response goes to the client as one buffer in one write call instead of two.
     */
    private HttpResponse heldHead;
    private boolean requestComplete;
    private boolean bodySent;
    private boolean bodyReceived;
    private boolean responseStarted;
    private boolean responseKeepAlive;
    private boolean continueSent;
    private boolean skipInformationalEnd;
    private boolean upgrading;
    private boolean retried;
    private boolean done;
    private final long startNanos = System.nanoTime();
    private int status;
    private long bytes;

    ProxyExchange(
            ChannelHandlerContext client, FrontendHandler frontend, ProxyContext proxy,
            Route route, WorkerInstance instance, HttpRequest request, boolean clientKeepAlive,
            boolean upgradeRequested) {
        this.client = client;
        this.frontend = frontend;
        this.proxy = proxy;
        this.instance = instance;
        this.request = request;
        this.clientKeepAlive = clientKeepAlive;
        this.upgradeRequested = upgradeRequested;
        this.head = HttpMethod.HEAD.equals(request.method());
        this.hasBody = HttpUtil.isTransferEncodingChunked(request)
                || HttpUtil.getContentLength(request, 0L) > 0;
        this.expectsContinue = hasBody && HttpUtil.is100ContinueExpected(request);
        this.timers = frontend.exchangeTimers(client.executor());
        this.responseTimeout = route.responseTimeout();
    }

    /** Starts the exchange by acquiring a worker connection; reading the client pauses meanwhile. */
    void start() {
        proxy.activeExchanges().incrementAndGet();
        if (hasBody) {
            // A request without a body pauses reading on its LastHttpContent, which the
            // decoder emits right behind the head: pausing here as well would cost two more
            // epoll_ctl calls per request, to resume and pause again for that empty part.
            client.channel().config().setAutoRead(false);
        }
        timers.begin(this, responseTimeout, proxy.settings().limits().requestTimeout());
        acquireWorker(false);
    }

    private void acquireWorker(boolean fresh) {
        var loop = client.channel().eventLoop();
        Future<Channel> acquired = fresh
                ? proxy.workerConnections().connect(loop, instance)
                : proxy.workerConnections().acquire(loop, instance);
        if (acquired.isDone()) {
            onWorkerAcquired(acquired);
        } else {
            acquired.addListener(this::onWorkerAcquired);
        }
    }

    private void onWorkerAcquired(Future<? super Channel> acquired) {
        if (done) {
            if (acquired.isSuccess()) {
                ((Channel) acquired.getNow()).close();
            }
            return;
        }
        if (!acquired.isSuccess()) {
            onConnectFailed(acquired.cause());
            return;
        }
        worker = (Channel) acquired.getNow();
        worker.pipeline().get(BackendHandler.class).bind(this);
        worker.write(request, worker.voidPromise());
        while (!pendingBody.isEmpty()) {
            HttpContent content = pendingBody.poll();
            bodySent |= content.content().isReadable();
            worker.write(content, worker.voidPromise());
        }
        worker.flush();
        if (expectsContinue && !requestComplete) {
            client.executor().schedule(
                    this::sendContinueFallback, CONTINUE_FALLBACK_MS, TimeUnit.MILLISECONDS);
        }
        if (requestComplete) {
            timers.startResponseTimer();
        } else {
            client.channel().config().setAutoRead(worker.isWritable());
        }
    }

    private void onConnectFailed(Throwable cause) {
        if (cause instanceof ConnectTimeoutException) {
            log.warn("worker connect timed out {} timeout_ms={}", instance,
                    proxy.settings().limits().connectTimeout().toMillis());
        } else {
            log.warn("worker connect failed {} cause={}", instance, cause.toString());
        }
        fail(ProxyFailure.WORKER_UNREACHABLE);
    }

    /** Relays a part of the request body, holding it until a worker connection exists. */
    void onClientContent(HttpContent content) {
        if (done) {
            content.release();
            return;
        }
        if (content.decoderResult().isFailure()) {
            content.release();
            onInvalidRequestBody();
            return;
        }
        boolean last = content instanceof LastHttpContent;
        bodyReceived |= content.content().isReadable();
        if (last) {
            requestComplete = true;
            client.channel().config().setAutoRead(false);
        }
        if (worker == null) {
            pendingBody.add(content);
            return;
        }
        bodySent |= content.content().isReadable();
        worker.writeAndFlush(content, worker.voidPromise());
        if (last && !responseStarted) {
            timers.startResponseTimer();
        } else if (!last && !worker.isWritable()) {
            client.channel().config().setAutoRead(false);
        }
    }

    private void onInvalidRequestBody() {
        log.debug("invalid or truncated request body from {} uri={}",
                client.channel().remoteAddress(), request.uri());
        if (responseStarted) {
            finish(false);
            client.close();
            return;
        }
        fail(ProxyFailure.BAD_REQUEST);
    }

    /** Relays the worker's response status line and headers. */
    void onWorkerResponse(HttpResponse response) {
        if (response.decoderResult().isFailure()) {
            onInvalidWorkerResponse(response.decoderResult().cause());
            return;
        }
        timers.onWorkerRead();
        instance.countWorkerResponse();
        if (response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
            onSwitchingProtocols(response);
            return;
        }
        if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
            relayInformational(response);
            return;
        }
        responseStarted = true;
        boolean eventStream = isEventStream(response);
        timers.onResponseHead(eventStream ? proxy.settings().limits().tunnelIdleTimeout()
                : proxy.settings().limits().workerIdleTimeout(), eventStream);
        int code = response.status().code();
        status = code;
        boolean bodyless = head || code == 204 || code == 304;
        responseKeepAlive = HttpUtil.isKeepAlive(response);
        // A response that arrives before the whole request body closes the connection, since
        // the rest of the body is not relayed.
        boolean keepAlive = clientKeepAlive && requestComplete && !proxy.draining();
        keepAlive = ForwardedHeaders.prepareResponse(
                response, request.protocolVersion(), keepAlive, bodyless);
        frontend.setCloseAfterResponse(!keepAlive);
        heldHead = response;
    }

    private static boolean isEventStream(HttpResponse response) {
        String type = response.headers().get(HttpHeaderNames.CONTENT_TYPE);
        return type != null && type.regionMatches(
                true, 0, "text/event-stream", 0, "text/event-stream".length());
    }

    private void relayInformational(HttpResponse response) {
        skipInformationalEnd = true;
        // HTTP/1.0 clients do not understand 1xx responses (RFC 9110 section 15.2).
        if (request.protocolVersion().minorVersion() == 0) {
            return;
        }
        if (response.status().code() == HttpResponseStatus.CONTINUE.code()) {
            if (continueSent) {
                return;
            }
            continueSent = true;
        }
        var informational = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, response.status());
        informational.headers().set(response.headers());
        ForwardedHeaders.prepareInformational(informational);
        client.writeAndFlush(informational, client.voidPromise());
    }

    private void sendContinueFallback() {
        if (done || responseStarted || continueSent || requestComplete) {
            return;
        }
        continueSent = true;
        client.writeAndFlush(new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE), client.voidPromise());
    }

    /**
     * Relays a {@code 101} response to an upgrade request, then joins both connections as a
     * tunnel once the current read on the worker connection has ended.
     */
    private void onSwitchingProtocols(HttpResponse response) {
        if (!upgradeRequested || responseStarted) {
            onInvalidWorkerResponse(new IllegalStateException("101 without an upgrade request"));
            return;
        }
        upgrading = true;
        responseStarted = true;
        timers.cancelAll();
        var switching = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
        switching.headers().set(response.headers());
        ForwardedHeaders.prepareSwitchingProtocols(switching);
        client.writeAndFlush(switching).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        worker.config().setAutoRead(false);
        client.channel().config().setAutoRead(false);
        client.executor().execute(this::openTunnel);
    }

    private void openTunnel() {
        if (done) {
            return;
        }
        done = true;
        Channel tunnelWorker = worker;
        worker = null;
        tunnelWorker.pipeline().get(BackendHandler.class).unbind();
        proxy.activeExchanges().decrementAndGet();
        instance.openTunnel();
        frontend.onUpgraded(this);
        log.debug("tunnel opened {} client={}", instance, client.channel().remoteAddress());
        Tunnel.open(client.channel(), tunnelWorker, List.copyOf(tunnelBytes),
                proxy.settings().limits().tunnelIdleTimeout(), instance::closeTunnel);
        tunnelBytes.clear();
    }

    /** Holds bytes that follow a 101 response until the tunnel is open. */
    void onWorkerBytes(ByteBuf bytes) {
        if (upgrading && !done) {
            tunnelBytes.add(bytes);
        } else {
            bytes.release();
        }
    }

    /** Relays a part of the response body and completes the exchange on its last part. */
    void onWorkerContent(HttpContent content) {
        if (content.decoderResult().isFailure()) {
            content.release();
            onInvalidWorkerResponse(content.decoderResult().cause());
            return;
        }
        boolean last = content instanceof LastHttpContent;
        if (upgrading || (skipInformationalEnd && last)) {
            skipInformationalEnd = false;
            content.release();
            return;
        }
        timers.onWorkerRead();
        bytes += content.content().readableBytes();
        if (!last) {
            writeHeldHead();
            client.write(content, client.voidPromise());
            if (!client.channel().isWritable()) {
                // Pause before flushing: the flush can drain the buffer at once and fire the
                // writable event that resumes reading, which must not be undone afterwards.
                worker.config().setAutoRead(false);
                client.flush();
            }
            return;
        }
        Object end = content;
        if (heldHead != null) {
            // A head still held means the whole body is this last part: send both as one.
            end = new DefaultFullHttpResponse(heldHead.protocolVersion(), heldHead.status(),
                    content.content(), heldHead.headers(),
                    ((LastHttpContent) content).trailingHeaders());
            heldHead = null;
        }
        client.writeAndFlush(end).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        finish(responseKeepAlive && requestComplete);
        frontend.onExchangeComplete(this);
    }

    private void onInvalidWorkerResponse(Throwable cause) {
        log.warn("worker sent an invalid response {} uri={} cause={}",
                instance, request.uri(), cause.toString());
        if (responseStarted) {
            finish(false);
            client.close();
            return;
        }
        fail(ProxyFailure.WORKER_INVALID_RESPONSE);
    }

    /** Flushes what the worker sent in its last read, so the client gets bytes at once. */
    @Override
    void onWorkerReadComplete() {
        writeHeldHead();
        client.flush();
    }

    private void writeHeldHead() {
        if (heldHead != null) {
            client.write(heldHead, client.voidPromise());
            heldHead = null;
        }
    }

    void onClientWritabilityChanged(boolean writable) {
        if (worker != null && !done) {
            worker.config().setAutoRead(writable);
        }
    }

    @Override
    void onWorkerWritabilityChanged(boolean writable) {
        if (!requestComplete && !done) {
            client.channel().config().setAutoRead(writable);
        }
    }

    /** Returns whether reading the worker paused because the client does not take the bytes. */
    boolean isWorkerReadPaused() {
        return worker != null && !worker.config().isAutoRead();
    }

    /** Handles the worker connection closing before the response was complete. */
    @Override
    void onWorkerClosed() {
        if (done) {
            return;
        }
        if (responseStarted) {
            log.warn("worker closed mid-response {} uri={}", instance, request.uri());
            finish(false);
            client.close();
            return;
        }
        if (isRetryable()) {
            log.debug("retrying on a fresh connection {} uri={}", instance, request.uri());
            retried = true;
            timers.cancelResponseTimer();
            unbindWorker(false);
            acquireWorker(true);
            return;
        }
        log.warn("worker closed before responding {} uri={}", instance, request.uri());
        fail(ProxyFailure.WORKER_CLOSED);
    }

    /**
     * Returns whether a failed attempt may run again: only once, only for an idempotent method
     * with no body, and only on a kept-alive connection that the worker may have closed while
     * it was idle.
     */
    private boolean isRetryable() {
        return !retried && IDEMPOTENT.contains(request.method()) && !hasBody && !bodySent
                && worker != null
                && Boolean.TRUE.equals(worker.attr(WorkerConnectionPool.REUSED).get());
    }

    /** Handles the client connection closing, which cancels the worker request. */
    void onClientClosed() {
        if (done) {
            return;
        }
        log.debug("client closed before the response was complete {} uri={}",
                instance, request.uri());
        finish(false);
    }

    void onResponseTimeout() {
        if (done || responseStarted) {
            return;
        }
        log.warn("worker response header timed out {} uri={}", instance, request.uri());
        fail(ProxyFailure.WORKER_TIMEOUT);
    }

    void onWorkerIdleTimeout() {
        if (done) {
            return;
        }
        log.warn("worker response body idle timed out {} uri={} timeout_ms={}", instance,
                request.uri(), proxy.settings().limits().workerIdleTimeout().toMillis());
        finish(false);
        client.close();
    }

    void onRequestTimeout() {
        if (done) {
            return;
        }
        log.warn("request timed out {} uri={} timeout_ms={}", instance, request.uri(),
                proxy.settings().limits().requestTimeout().toMillis());
        if (responseStarted) {
            finish(false);
            client.close();
            return;
        }
        fail(ProxyFailure.WORKER_TIMEOUT);
    }

    /** Ends the exchange with a response of the proxy's own. */
    private void fail(ProxyFailure failure) {
        status = failure.status().code();
        finish(false);
        frontend.sendFailure(client, failure, request, null, !requestComplete || !clientKeepAlive);
        frontend.onExchangeComplete(this);
    }

    /**
     * Releases everything the exchange holds, exactly once.
     *
     * @param reuseWorker whether the worker connection can carry another request
     */
    private void finish(boolean reuseWorker) {
        if (done) {
            return;
        }
        done = true;
        timers.cancelAll();
        while (!pendingBody.isEmpty()) {
            pendingBody.poll().release();
        }
        tunnelBytes.forEach(ByteBuf::release);
        tunnelBytes.clear();
        unbindWorker(reuseWorker);
        instance.endRequest();
        proxy.activeExchanges().decrementAndGet();
        frontend.logAccess(client, request, status, bytes, startNanos, instance.workerName());
    }

    private void unbindWorker(boolean reuse) {
        if (worker == null) {
            return;
        }
        Channel finished = worker;
        worker = null;
        finished.pipeline().get(BackendHandler.class).unbind();
        if (reuse) {
            proxy.workerConnections().release(instance, finished);
        } else {
            finished.close();
        }
    }

    ChannelHandlerContext clientContext() {
        return client;
    }

    boolean isRequestComplete() {
        return requestComplete;
    }

    /**
     * Returns whether the client is waiting for {@code 100 Continue} before it sends the body,
     * so that after a final response no body will follow. A client that started sending its
     * body without waiting is not.
     */
    boolean isBodyWithheld() {
        return expectsContinue && !continueSent && !bodyReceived;
    }
}
