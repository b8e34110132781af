package io.tqserver.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import io.tqserver.routing.Route;
import io.tqserver.routing.WorkerInstance;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request relayed from a client to a worker instance and its response relayed back. Both
 * connections run on the same event loop, so the exchange needs no locking. Bodies stream
 * through in both directions: when one side cannot take more data, reading from the other side
 * pauses until it can.
 */
final class ProxyExchange {

    private static final Logger log = LoggerFactory.getLogger(ProxyExchange.class);

    private final ChannelHandlerContext client;
    private final FrontendHandler frontend;
    private final ProxyContext proxy;
    private final Route route;
    private final WorkerInstance instance;
    private final HttpRequest request;
    private final boolean clientKeepAlive;
    private final boolean head;
    private final boolean hasBody;
    private final ArrayDeque<HttpContent> pendingBody = new ArrayDeque<>();
    private Channel worker;
    private ScheduledFuture<?> responseTimer;
    private boolean requestComplete;
    private boolean responseStarted;
    private boolean responseKeepAlive;
    private boolean skipInformationalEnd;
    private boolean retried;
    private boolean done;

    ProxyExchange(
            ChannelHandlerContext client, FrontendHandler frontend, ProxyContext proxy,
            Route route, WorkerInstance instance, HttpRequest request, boolean clientKeepAlive) {
        this.client = client;
        this.frontend = frontend;
        this.proxy = proxy;
        this.route = route;
        this.instance = instance;
        this.request = request;
        this.clientKeepAlive = clientKeepAlive;
        this.head = HttpMethod.HEAD.equals(request.method());
        this.hasBody = HttpUtil.isTransferEncodingChunked(request)
                || HttpUtil.getContentLength(request, 0L) > 0;
    }

    /** Starts the exchange by acquiring a worker connection; reading the client pauses meanwhile. */
    void start() {
        proxy.activeExchanges().incrementAndGet();
        client.channel().config().setAutoRead(false);
        acquireWorker();
    }

    private void acquireWorker() {
        Future<Channel> acquired =
                proxy.workerConnections().acquire(client.channel().eventLoop(), instance);
        if (acquired.isDone()) {
            onWorkerAcquired(acquired);
        } else {
            acquired.addListener(this::onWorkerAcquired);
        }
    }

    private void onWorkerAcquired(Future<? super Channel> acquired) {
        if (!acquired.isSuccess()) {
            log.warn("worker connect failed {} cause={}", instance, acquired.cause().toString());
            fail(ProxyFailure.WORKER_UNREACHABLE);
            return;
        }
        Channel acquiredWorker = (Channel) acquired.getNow();
        if (done) {
            proxy.workerConnections().release(instance, acquiredWorker);
            return;
        }
        worker = acquiredWorker;
        worker.pipeline().get(BackendHandler.class).bind(this);
        worker.write(request, worker.voidPromise());
        while (!pendingBody.isEmpty()) {
            worker.write(pendingBody.poll(), worker.voidPromise());
        }
        worker.flush();
        if (requestComplete) {
            startResponseTimer();
        } else {
            client.channel().config().setAutoRead(worker.isWritable());
        }
    }

    /** Relays a part of the request body, holding it until a worker connection exists. */
    void onClientContent(HttpContent content) {
        if (done) {
            content.release();
            return;
        }
        boolean last = content instanceof LastHttpContent;
        if (last) {
            requestComplete = true;
            client.channel().config().setAutoRead(false);
        }
        if (worker == null) {
            pendingBody.add(content);
            return;
        }
        worker.writeAndFlush(content, worker.voidPromise());
        if (last) {
            startResponseTimer();
        } else if (!worker.isWritable()) {
            client.channel().config().setAutoRead(false);
        }
    }

    /** Relays the worker's response status line and headers. */
    void onWorkerResponse(HttpResponse response) {
        if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
            relayInformational(response);
            return;
        }
        cancelResponseTimer();
        responseStarted = true;
        int code = response.status().code();
        boolean bodyless = head || code == 204 || code == 304;
        responseKeepAlive = HttpUtil.isKeepAlive(response);
        boolean keepAlive = clientKeepAlive && !proxy.draining();
        keepAlive = ForwardedHeaders.prepareResponse(
                response, request.protocolVersion(), keepAlive, bodyless);
        frontend.setCloseAfterResponse(!keepAlive);
        client.write(response, client.voidPromise());
    }

    private void relayInformational(HttpResponse response) {
        // HTTP/1.0 clients do not understand 1xx responses (RFC 9110 section 15.2).
        skipInformationalEnd = true;
        if (request.protocolVersion().minorVersion() == 0
                || response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
            return;
        }
        var informational = new DefaultFullHttpResponse(
                response.protocolVersion(), response.status());
        informational.headers().set(response.headers());
        client.writeAndFlush(informational, client.voidPromise());
    }

    /** Relays a part of the response body and completes the exchange on its last part. */
    void onWorkerContent(HttpContent content) {
        if (skipInformationalEnd && content instanceof LastHttpContent) {
            skipInformationalEnd = false;
            content.release();
            return;
        }
        if (!(content instanceof LastHttpContent)) {
            client.write(content, client.voidPromise());
            if (!client.channel().isWritable()) {
                // Pause before flushing: the flush can drain the buffer at once and fire the
                // writable event that resumes reading, which must not be undone afterwards.
                worker.config().setAutoRead(false);
                client.flush();
            }
            return;
        }
        client.writeAndFlush(content).addListener((ChannelFutureListener) written -> {
            if (!written.isSuccess()) {
                client.close();
            }
        });
        finish(responseKeepAlive && requestComplete);
        frontend.onExchangeComplete(this);
    }

    /** Flushes what the worker sent in its last read, so the client gets bytes at once. */
    void onWorkerReadComplete() {
        client.flush();
    }

    void onClientWritabilityChanged(boolean writable) {
        if (worker != null && !done) {
            worker.config().setAutoRead(writable);
        }
    }

    void onWorkerWritabilityChanged(boolean writable) {
        if (!requestComplete && !done) {
            client.channel().config().setAutoRead(writable);
        }
    }

    /** Handles the worker connection closing before the response was complete. */
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
            cancelResponseTimer();
            unbindWorker(false);
            acquireWorker();
            return;
        }
        log.warn("worker closed before responding {} uri={}", instance, request.uri());
        fail(ProxyFailure.WORKER_CLOSED);
    }

    /**
     * Returns whether a failed attempt may run again: only once, only on a kept-alive connection
     * that the worker may have closed while idle, and only when no request body was sent.
     */
    private boolean isRetryable() {
        return !retried && !hasBody && worker != null
                && Boolean.TRUE.equals(worker.attr(WorkerConnectionPool.REUSED).get());
    }

    /** Handles the client connection closing, which abandons the worker request. */
    void onClientClosed() {
        if (done) {
            return;
        }
        log.debug("client closed before the response was complete {} uri={}",
                instance, request.uri());
        finish(false);
    }

    private void startResponseTimer() {
        long timeoutNanos = route.responseTimeout().toNanos();
        responseTimer = client.executor().schedule(
                this::onResponseTimeout, timeoutNanos, TimeUnit.NANOSECONDS);
    }

    private void cancelResponseTimer() {
        if (responseTimer != null) {
            responseTimer.cancel(false);
            responseTimer = null;
        }
    }

    private void onResponseTimeout() {
        if (done || responseStarted) {
            return;
        }
        log.warn("worker response timed out {} uri={} timeout_ms={}",
                instance, request.uri(), route.responseTimeout().toMillis());
        fail(ProxyFailure.WORKER_TIMEOUT);
    }

    /** Ends the exchange with a response of the proxy's own. */
    private void fail(ProxyFailure failure) {
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
        cancelResponseTimer();
        while (!pendingBody.isEmpty()) {
            pendingBody.poll().release();
        }
        unbindWorker(reuseWorker);
        instance.endRequest();
        proxy.activeExchanges().decrementAndGet();
    }

    private void unbindWorker(boolean reuse) {
        if (worker == null) {
            return;
        }
        Channel finished = worker;
        worker = null;
        finished.pipeline().get(BackendHandler.class).unbind();
        if (!reuse) {
            finished.close();
        }
        proxy.workerConnections().release(instance, finished);
    }

    ChannelHandlerContext clientContext() {
        return client;
    }

    boolean isRequestComplete() {
        return requestComplete;
    }
}
