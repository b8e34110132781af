package io.tqserver.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import io.tqserver.fastcgi.BufferedRequestBody;
import io.tqserver.fastcgi.CgiVariables;
import io.tqserver.fastcgi.FastCgiConnectionPool;
import io.tqserver.fastcgi.FastCgiEndRequest;
import io.tqserver.fastcgi.FastCgiRecord;
import io.tqserver.fastcgi.FastCgiRequestEncoder;
import io.tqserver.fastcgi.ScriptResolver;
import io.tqserver.fastcgi.ScriptTarget;
import io.tqserver.routing.Route;
import io.tqserver.routing.WorkerInstance;
import io.tqserver.routing.WorkerProtocol;
import io.tqserver.staticfiles.StaticFileResponder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request to a PHP worker: maps the path to a script or a static file, then either sends
 * the file itself or runs the script on php-fpm over a pooled FastCGI connection and relays the
 * response. Everything runs on the client connection's event loop. Request and response bodies
 * stream with backpressure; only a body without a length is held, up to {@code post_max_size},
 * because PHP needs {@code CONTENT_LENGTH} to read it.
 */
final class FastCgiExchange extends ClientExchange {

    private static final Logger log = LoggerFactory.getLogger(FastCgiExchange.class);

    /** Each connection carries one request at a time, so every request can use the same id. */
    private static final int REQUEST_ID = 1;
    /** Largest STDIN part read from a buffered body at once. */
    private static final int BUFFERED_PART_BYTES = FastCgiRecord.MAX_CONTENT_BYTES;

    private final ChannelHandlerContext client;
    private final FrontendHandler frontend;
    private final ProxyContext proxy;
    private final Route route;
    private final WorkerInstance instance;
    private final WorkerProtocol.FastCgi site;
    private final HttpRequest request;
    private final String requestTarget;
    private final boolean clientKeepAlive;
    private final boolean head;
    private final boolean hasBody;
    private final boolean expectsContinue;
    private boolean continueSent;
    private final ArrayDeque<HttpContent> pendingBody = new ArrayDeque<>();
    private Map<String, String> params;
    private BufferedRequestBody bufferedBody;
    private Channel worker;
    private ScheduledFuture<?> responseTimer;
    private boolean requestComplete;
    private boolean stdinComplete;
    private boolean bodySent;
    private boolean responseStarted;
    private boolean bodyless;
    private boolean retried;
    private boolean done;

    FastCgiExchange(
            ChannelHandlerContext client, FrontendHandler frontend, ProxyContext proxy,
            Route route, WorkerInstance instance, HttpRequest request, String requestTarget,
            boolean clientKeepAlive) {
        this.client = client;
        this.frontend = frontend;
        this.proxy = proxy;
        this.route = route;
        this.instance = instance;
        this.site = (WorkerProtocol.FastCgi) instance.protocol();
        this.request = request;
        this.requestTarget = requestTarget;
        this.clientKeepAlive = clientKeepAlive;
        this.head = HttpMethod.HEAD.equals(request.method());
        this.hasBody = HttpUtil.isTransferEncodingChunked(request)
                || HttpUtil.getContentLength(request, 0L) > 0;
        this.expectsContinue = HttpUtil.is100ContinueExpected(request);
    }

    @Override
    void start() {
        proxy.activeExchanges().incrementAndGet();
        client.channel().config().setAutoRead(false);
        ScriptTarget target = new ScriptResolver(site.documentRoot(), site.frontController())
                .resolve(workerPath());
        if (target instanceof ScriptTarget.NotFound notFound) {
            log.debug("no file for uri={} reason={}", requestTarget, notFound.reason());
            fail(ProxyFailure.NO_FILE);
        } else if (target instanceof ScriptTarget.StaticFile file) {
            serveFile(file);
        } else {
            runScript((ScriptTarget.Script) target);
        }
    }

    /** Returns the path of the request-target without the route prefix and the query. */
    private String workerPath() {
        int queryStart = requestTarget.indexOf('?');
        String path = queryStart < 0 ? requestTarget : requestTarget.substring(0, queryStart);
        return route.isRoot() ? path : path.substring(route.prefix().length());
    }

    private void serveFile(ScriptTarget.StaticFile file) {
        boolean keepAlive = clientKeepAlive && !proxy.draining() && !hasBody;
        frontend.setCloseAfterResponse(!keepAlive);
        StaticFileResponder.respond(client, request, file.file(), keepAlive)
                .addListener(closeClientOnFailure());
        finish(false);
        frontend.onExchangeComplete(this);
    }

    private void runScript(ScriptTarget.Script script) {
        long contentLength = -1;
        boolean chunked = HttpUtil.isTransferEncodingChunked(request);
        if (hasBody && !chunked) {
            contentLength = HttpUtil.getContentLength(request, 0L);
            if (site.maxBodyBytes() > 0 && contentLength > site.maxBodyBytes()) {
                fail(ProxyFailure.BODY_TOO_LARGE);
                return;
            }
        }
        params = CgiVariables.of(request, requestTarget, route.prefix(), script,
                site.documentRoot().toString(), contentLength,
                (InetSocketAddress) client.channel().localAddress(),
                (InetSocketAddress) client.channel().remoteAddress());
        startResponseTimer();
        if (chunked) {
            long limit = site.maxBodyBytes() > 0 ? site.maxBodyBytes() : Long.MAX_VALUE;
            bufferedBody = new BufferedRequestBody(limit);
            sendContinue();
            client.channel().config().setAutoRead(true);
            return;
        }
        acquireWorker();
    }

    private void acquireWorker() {
        FastCgiConnectionPool pool = proxy.fastCgiPools().of(instance);
        Future<Channel> acquired = pool.acquire(client.channel().eventLoop());
        if (acquired.isDone()) {
            onWorkerAcquired(acquired);
        } else {
            acquired.addListener(this::onWorkerAcquired);
        }
    }

    private void onWorkerAcquired(Future<? super Channel> acquired) {
        if (!acquired.isSuccess()) {
            log.warn("php-fpm connect failed {} cause={}", instance, acquired.cause().toString());
            fail(ProxyFailure.WORKER_UNREACHABLE);
            return;
        }
        Channel acquiredWorker = (Channel) acquired.getNow();
        if (done) {
            proxy.fastCgiPools().of(instance).release(acquiredWorker, true);
            return;
        }
        worker = acquiredWorker;
        worker.pipeline().get(FastCgiBackendHandler.class).bind(this);
        worker.write(FastCgiRequestEncoder.beginRequest(worker.alloc(), REQUEST_ID, true),
                worker.voidPromise());
        worker.write(FastCgiRequestEncoder.params(worker.alloc(), REQUEST_ID, params),
                worker.voidPromise());
        if (bufferedBody != null) {
            bufferedBody.rewind();
            writeBufferedBody();
            return;
        }
        while (!pendingBody.isEmpty()) {
            writeStdin(pendingBody.poll());
        }
        if (!hasBody && !stdinComplete) {
            // No need to wait for the empty last part of a request that has no body.
            worker.write(FastCgiRequestEncoder.endOfStdin(worker.alloc(), REQUEST_ID),
                    worker.voidPromise());
            stdinComplete = true;
        }
        worker.flush();
        if (!requestComplete) {
            sendContinue();
            client.channel().config().setAutoRead(worker.isWritable());
        }
    }

    /** Tells a client that waits with {@code Expect: 100-continue} to send the body. */
    private void sendContinue() {
        if (expectsContinue && !continueSent) {
            continueSent = true;
            client.writeAndFlush(new DefaultFullHttpResponse(
                    HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE), client.voidPromise());
        }
    }

    @Override
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
        if (bufferedBody != null) {
            bufferContent(content, last);
            return;
        }
        if (worker == null) {
            pendingBody.add(content);
            return;
        }
        writeStdin(content);
        worker.flush();
        if (!last && !worker.isWritable()) {
            client.channel().config().setAutoRead(false);
        }
    }

    private void bufferContent(HttpContent content, boolean last) {
        boolean accepted;
        try {
            accepted = bufferedBody.append(content.content().retain());
        } catch (IOException e) {
            log.warn("request body not buffered {} uri={} cause={}", instance, requestTarget,
                    e.toString());
            accepted = false;
        } finally {
            content.release();
        }
        if (!accepted) {
            fail(ProxyFailure.BODY_TOO_LARGE);
            return;
        }
        if (last) {
            params.put("CONTENT_LENGTH", Long.toString(bufferedBody.size()));
            acquireWorker();
        }
    }

    /** Sends a part of a streamed body as STDIN, and the end of STDIN after the last part. */
    private void writeStdin(HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        ByteBuf data = content.content().retain();
        content.release();
        if (data.isReadable()) {
            bodySent = true;
            worker.write(FastCgiRequestEncoder.stdin(worker.alloc(), REQUEST_ID, data),
                    worker.voidPromise());
        } else {
            data.release();
        }
        if (last && !stdinComplete) {
            worker.write(FastCgiRequestEncoder.endOfStdin(worker.alloc(), REQUEST_ID),
                    worker.voidPromise());
            stdinComplete = true;
        }
    }

    /** Sends the held body while php-fpm takes it; resumes when the connection is writable. */
    private void writeBufferedBody() {
        try {
            while (bufferedBody.hasRemaining() && worker.isWritable()) {
                ByteBuf part = bufferedBody.next(worker.alloc(), BUFFERED_PART_BYTES);
                worker.write(FastCgiRequestEncoder.stdin(worker.alloc(), REQUEST_ID, part),
                        worker.voidPromise());
            }
        } catch (IOException e) {
            log.warn("request body not read back {} uri={} cause={}", instance, requestTarget,
                    e.toString());
            fail(ProxyFailure.WORKER_UNREACHABLE);
            return;
        }
        if (!bufferedBody.hasRemaining() && !stdinComplete) {
            worker.write(FastCgiRequestEncoder.endOfStdin(worker.alloc(), REQUEST_ID),
                    worker.voidPromise());
            stdinComplete = true;
        }
        worker.flush();
    }

    void onWorkerResponse(HttpResponse response) {
        cancelResponseTimer();
        instance.countWorkerResponse();
        responseStarted = true;
        int code = response.status().code();
        bodyless = head || code == 204 || code == 304;
        boolean keepAlive = clientKeepAlive && !proxy.draining();
        keepAlive = ForwardedHeaders.prepareResponse(
                response, request.protocolVersion(), keepAlive, bodyless);
        frontend.setCloseAfterResponse(!keepAlive);
        client.write(response, client.voidPromise());
    }

    void onWorkerContent(HttpContent content) {
        if (bodyless) {
            content.release();
            return;
        }
        client.write(content, client.voidPromise());
        if (!client.channel().isWritable()) {
            // Reading stops before the flush, because a flush that empties the buffer turns the
            // client writable again at once and that event must find reading stopped.
            worker.config().setAutoRead(false);
            client.flush();
            if (client.channel().isWritable() && worker != null) {
                worker.config().setAutoRead(true);
            }
        }
    }

    void onWorkerStderr(String text) {
        for (String line : text.split("\r?\n")) {
            if (!line.isEmpty()) {
                site.errorLog().accept(line);
            }
        }
    }

    /** Ends the response; the connection is reused only when php-fpm read the whole body. */
    void onWorkerEnd(FastCgiEndRequest end) {
        if (!responseStarted) {
            log.warn("php-fpm ended a request without a response {} uri={} app_status={}"
                    + " protocol_status={}", instance, requestTarget, end.appStatus(),
                    end.protocolStatus());
            fail(end.isComplete() ? ProxyFailure.WORKER_CLOSED : ProxyFailure.NO_INSTANCE);
            return;
        }
        client.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT)
                .addListener(closeClientOnFailure());
        finish(stdinComplete && end.isComplete());
        frontend.onExchangeComplete(this);
    }

    @Override
    void onWorkerReadComplete() {
        client.flush();
    }

    @Override
    void onClientWritabilityChanged(boolean writable) {
        if (worker != null && !done) {
            worker.config().setAutoRead(writable);
        }
    }

    @Override
    void onWorkerWritabilityChanged(boolean writable) {
        if (done || !writable) {
            if (!done && !requestComplete) {
                client.channel().config().setAutoRead(false);
            }
            return;
        }
        if (bufferedBody != null && !stdinComplete) {
            writeBufferedBody();
        } else if (!requestComplete) {
            client.channel().config().setAutoRead(true);
        }
    }

    /**
     * Handles php-fpm closing the connection before the response ended. A kept-alive connection
     * that php-fpm closed while it was idle, as when a child is recycled, is retried once on a
     * new connection, but only when no part of a streamed body was sent on it.
     */
    @Override
    void onWorkerClosed() {
        if (done) {
            return;
        }
        if (responseStarted) {
            log.warn("php-fpm closed mid-response {} uri={}", instance, requestTarget);
            finish(false);
            client.close();
            return;
        }
        boolean reused = Boolean.TRUE.equals(worker.attr(FastCgiConnectionPool.REUSED).get());
        if (reused && !retried && (!bodySent || bufferedBody != null)) {
            log.debug("retrying on a new FastCGI connection {} uri={}", instance, requestTarget);
            retried = true;
            stdinComplete = false;
            releaseWorker(false);
            acquireWorker();
            return;
        }
        log.warn("php-fpm closed before responding {} uri={}", instance, requestTarget);
        fail(ProxyFailure.WORKER_CLOSED);
    }

    @Override
    void onClientClosed() {
        if (done) {
            return;
        }
        log.debug("client closed before the response was complete {} uri={}",
                instance, requestTarget);
        finish(false);
    }

    private void startResponseTimer() {
        cancelResponseTimer();
        responseTimer = client.executor().schedule(this::onResponseTimeout,
                route.responseTimeout().toNanos(), TimeUnit.NANOSECONDS);
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
        log.warn("php-fpm response timed out {} uri={} timeout_ms={}",
                instance, requestTarget, route.responseTimeout().toMillis());
        fail(ProxyFailure.WORKER_TIMEOUT);
    }

    private void fail(ProxyFailure failure) {
        finish(false);
        frontend.sendFailure(client, failure, request, null,
                !isRequestComplete() || !clientKeepAlive);
        frontend.onExchangeComplete(this);
    }

    /** Releases everything the exchange holds, exactly once. */
    private void finish(boolean reuseWorker) {
        if (done) {
            return;
        }
        done = true;
        cancelResponseTimer();
        while (!pendingBody.isEmpty()) {
            pendingBody.poll().release();
        }
        if (bufferedBody != null) {
            bufferedBody.close();
        }
        releaseWorker(reuseWorker);
        instance.endRequest();
        proxy.activeExchanges().decrementAndGet();
    }

    private void releaseWorker(boolean reuse) {
        if (worker == null) {
            return;
        }
        Channel finished = worker;
        worker = null;
        finished.pipeline().get(FastCgiBackendHandler.class).unbind();
        finished.config().setAutoRead(true);
        proxy.fastCgiPools().of(instance).release(finished, reuse);
    }

    private ChannelFutureListener closeClientOnFailure() {
        return written -> {
            if (!written.isSuccess()) {
                client.close();
            }
        };
    }

    @Override
    ChannelHandlerContext clientContext() {
        return client;
    }

    @Override
    boolean isBodyWithheld() {
        return expectsContinue && !continueSent;
    }

    /** A request without a body counts as complete before its empty last part is read. */
    @Override
    boolean isRequestComplete() {
        return requestComplete || !hasBody;
    }
}
