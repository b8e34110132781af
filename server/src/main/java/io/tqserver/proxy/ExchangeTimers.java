package io.tqserver.proxy;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The deadlines of one {@link ProxyExchange}, each with its own callback: the worker's response
 * head (504), the pause between two reads of the response body, and the whole exchange. All of
 * them run on the exchange's event loop.
 */
final class ExchangeTimers {

    private final EventExecutor executor;
    private final ProxyExchange exchange;
    private final Duration responseTimeout;
    private final Duration requestTimeout;
    private ScheduledFuture<?> responseTimer;
    private ScheduledFuture<?> requestTimer;
    private ScheduledFuture<?> idleTimer;
    private long idleTimeoutNanos;
    private long lastWorkerReadNanos;

    /**
     * @param responseTimeout time from the end of the request until the response head
     * @param requestTimeout time from the start of the exchange until the end of the response
     */
    ExchangeTimers(
            EventExecutor executor, ProxyExchange exchange, Duration responseTimeout,
            Duration requestTimeout) {
        this.executor = executor;
        this.exchange = exchange;
        this.responseTimeout = responseTimeout;
        this.requestTimeout = requestTimeout;
    }

    void startRequestTimer() {
        requestTimer = executor.schedule(
                exchange::onRequestTimeout, requestTimeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Starts waiting for the response head, unless a wait is already running. */
    void startResponseTimer() {
        if (responseTimer == null) {
            responseTimer = executor.schedule(
                    exchange::onResponseTimeout, responseTimeout.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    void cancelResponseTimer() {
        responseTimer = cancel(responseTimer);
    }

    /**
     * Ends the wait for the response head and starts watching the pauses in the body.
     *
     * @param idleTimeout longest pause between two reads of the body
     * @param streaming whether the response is a stream without a planned end, which the
     *     request timeout does not cover
     */
    void onResponseHead(Duration idleTimeout, boolean streaming) {
        responseTimer = cancel(responseTimer);
        if (streaming) {
            requestTimer = cancel(requestTimer);
        }
        idleTimeoutNanos = idleTimeout.toNanos();
        lastWorkerReadNanos = System.nanoTime();
        idleTimer = executor.schedule(this::checkIdle, idleTimeoutNanos, TimeUnit.NANOSECONDS);
    }

    /** Records that the worker sent part of its response. */
    void onWorkerRead() {
        lastWorkerReadNanos = System.nanoTime();
    }

    /**
     * Fires the idle callback once the worker paused for the whole idle timeout. A pause the
     * proxy causes, because the client does not take the bytes, does not count.
     */
    private void checkIdle() {
        long now = System.nanoTime();
        if (exchange.isWorkerReadPaused()) {
            lastWorkerReadNanos = now;
        }
        long remaining = lastWorkerReadNanos + idleTimeoutNanos - now;
        if (remaining > 0) {
            idleTimer = executor.schedule(this::checkIdle, remaining, TimeUnit.NANOSECONDS);
            return;
        }
        idleTimer = null;
        exchange.onWorkerIdleTimeout();
    }

    void cancelAll() {
        responseTimer = cancel(responseTimer);
        requestTimer = cancel(requestTimer);
        idleTimer = cancel(idleTimer);
    }

    private static ScheduledFuture<?> cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
        return null;
    }
}
