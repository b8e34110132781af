package io.tqserver.proxy;

import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;

/**
 * The deadlines of the {@link ProxyExchange} running on one client connection: the worker's
 * response head (504), the pause between two reads of the response body, and the whole
 * exchange. The deadlines are plain fields checked by one {@link LazyDeadlineTimer} per
 * connection, so a request schedules and cancels no task of its own. All of it runs on the
 * connection's event loop.
 */
final class ExchangeTimers {

    private static final long NONE = Long.MAX_VALUE;

    private final LazyDeadlineTimer timer;
    private ProxyExchange exchange;
    private long responseTimeoutNanos;
    private long responseDeadline = NONE;
    private long requestDeadline = NONE;
    private boolean watchingIdle;
    private long idleTimeoutNanos;
    private long lastWorkerReadNanos;

    ExchangeTimers(EventExecutor executor) {
        this.timer = new LazyDeadlineTimer(executor, this::check);
    }

    /**
     * Starts the deadlines of a new exchange, which replaces any earlier one.
     *
     * @param responseTimeout time from the end of the request until the response head
     * @param requestTimeout time from the start of the exchange until the end of the response
     */
    void begin(ProxyExchange started, Duration responseTimeout, Duration requestTimeout) {
        cancelAll();
        exchange = started;
        responseTimeoutNanos = responseTimeout.toNanos();
        requestDeadline = System.nanoTime() + requestTimeout.toNanos();
        timer.armBy(requestDeadline);
    }

    /** Starts waiting for the response head, unless a wait is already running. */
    void startResponseTimer() {
        if (exchange != null && responseDeadline == NONE) {
            responseDeadline = System.nanoTime() + responseTimeoutNanos;
            timer.armBy(responseDeadline);
        }
    }

    void cancelResponseTimer() {
        responseDeadline = NONE;
    }

    /**
     * Ends the wait for the response head and starts watching the pauses in the body.
     *
     * @param idleTimeout longest pause between two reads of the body
     * @param streaming whether the response is a stream without a planned end, which the
     *     request timeout does not cover
     */
    void onResponseHead(Duration idleTimeout, boolean streaming) {
        responseDeadline = NONE;
        if (streaming) {
            requestDeadline = NONE;
        }
        watchingIdle = true;
        idleTimeoutNanos = idleTimeout.toNanos();
        lastWorkerReadNanos = System.nanoTime();
        timer.armBy(lastWorkerReadNanos + idleTimeoutNanos);
    }

    /** Records that the worker sent part of its response. */
    void onWorkerRead() {
        lastWorkerReadNanos = System.nanoTime();
    }

    /** Ends every deadline of the current exchange; the armed task then fires for nothing. */
    void cancelAll() {
        exchange = null;
        responseDeadline = NONE;
        requestDeadline = NONE;
        watchingIdle = false;
    }

    /** Stops the timer for good, for a client connection that closed. */
    void stop() {
        cancelAll();
        timer.stop();
    }

    /**
     * Runs the callback of a deadline that passed, or arms the timer for the earliest one left.
     * A pause in the body that the proxy causes, because the client does not take the bytes,
     * does not count as idle.
     */
    private void check() {
        ProxyExchange current = exchange;
        if (current == null) {
            return;
        }
        long now = System.nanoTime();
        if (responseDeadline != NONE && responseDeadline - now <= 0) {
            responseDeadline = NONE;
            current.onResponseTimeout();
        } else if (requestDeadline != NONE && requestDeadline - now <= 0) {
            requestDeadline = NONE;
            current.onRequestTimeout();
        } else if (watchingIdle) {
            if (current.isWorkerReadPaused()) {
                lastWorkerReadNanos = now;
            }
            if (lastWorkerReadNanos + idleTimeoutNanos - now <= 0) {
                watchingIdle = false;
                current.onWorkerIdleTimeout();
            }
        }
        if (exchange == current) {
            armForEarliest();
        }
    }

    private void armForEarliest() {
        long earliest = Math.min(responseDeadline, requestDeadline);
        if (watchingIdle) {
            earliest = Math.min(earliest, lastWorkerReadNanos + idleTimeoutNanos);
        }
        if (earliest != NONE) {
            timer.armBy(earliest);
        }
    }
}
