package io.tqserver.fastcgi;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Kept-alive FastCGI connections to one php-fpm pool, shared by every event loop.
 *
 * <p>php-fpm gives each open connection a child of its own until the connection closes, even
 * while it is idle, so the pool never has more than {@code maxConnections} open (the pool's
 * {@code pm.max_children}). Otherwise a new connection would wait in php-fpm's listen queue
 * behind idle ones that are never closed. A request over the limit waits here for a connection;
 * when every connection is idle on another event loop, one of them is closed to make room,
 * because a connection is only used on the event loop it was opened on.
 */
public final class FastCgiConnectionPool {

    /** Whether a connection has carried a request before, which makes a failure retryable. */
    public static final AttributeKey<Boolean> REUSED = AttributeKey.valueOf("tqserver.fcgi.reused");

    private final Bootstrap bootstrap;
    private final int maxConnections;
    private final Map<EventLoop, ArrayDeque<Channel>> idle = new HashMap<>();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private int open;
    private boolean closed;

    /**
     * @param bootstrap connects to php-fpm and sets up the pipeline; its event loop is replaced
     *     by the one of each acquire
     */
    public FastCgiConnectionPool(Bootstrap bootstrap, int maxConnections) {
        this.bootstrap = bootstrap;
        this.maxConnections = maxConnections;
    }

    /**
     * Acquires a connection that runs on {@code loop}, which must be the caller's event loop.
     * The future completes on {@code loop}; give the connection back with {@link #release}.
     */
    public Future<Channel> acquire(EventLoop loop) {
        Promise<Channel> promise = loop.newPromise();
        Channel evicted = null;
        synchronized (this) {
            if (closed) {
                return promise.setFailure(new IOException("FastCGI pool closed"));
            }
            Channel reusable = pollIdle(loop);
            if (reusable != null) {
                return promise.setSuccess(reusable);
            }
            if (open < maxConnections) {
                open++;
            } else {
                waiters.add(new Waiter(loop, promise));
                evicted = pollIdleOfOtherLoop();
                if (evicted == null) {
                    return promise;
                }
            }
        }
        if (evicted != null) {
            // Its slot passes to the first waiter once the close completes.
            evicted.close();
            return promise;
        }
        connect(loop, promise);
        return promise;
    }

    /**
     * Gives a connection back. It is kept for the next request when {@code reuse} is true and it
     * is still open, handed to a request waiting on its event loop, or closed.
     */
    public void release(Channel connection, boolean reuse) {
        connection.attr(REUSED).set(Boolean.TRUE);
        Waiter sameLoop = null;
        boolean close = !reuse || !connection.isActive();
        synchronized (this) {
            if (!close && !closed) {
                sameLoop = pollWaiter(connection.eventLoop());
                if (sameLoop == null && waiters.isEmpty()) {
                    idle.computeIfAbsent(connection.eventLoop(), loop -> new ArrayDeque<>())
                            .push(connection);
                    return;
                }
            }
        }
        if (sameLoop != null) {
            if (!sameLoop.promise.trySuccess(connection)) {
                release(connection, true);
            }
            return;
        }
        // The slot passes to a waiter on another loop, if any, once the close completes.
        connection.close();
    }

    /** Closes idle connections and fails waiting acquires; open connections close on release. */
    public void close() {
        ArrayDeque<Channel> toClose = new ArrayDeque<>();
        ArrayDeque<Waiter> toFail;
        synchronized (this) {
            closed = true;
            idle.values().forEach(toClose::addAll);
            idle.clear();
            toFail = new ArrayDeque<>(waiters);
            waiters.clear();
        }
        toClose.forEach(Channel::close);
        toFail.forEach(waiter -> waiter.promise.tryFailure(new IOException("FastCGI pool closed")));
    }

    /** Returns the number of connections open or being opened. */
    public synchronized int openConnections() {
        return open;
    }

    private void connect(EventLoop loop, Promise<Channel> promise) {
        ChannelFuture connecting = bootstrap.clone(loop).connect();
        connecting.addListener(done -> {
            if (!done.isSuccess()) {
                slotFreed();
                promise.tryFailure(done.cause());
                return;
            }
            Channel connection = connecting.channel();
            connection.closeFuture().addListener(closedFuture -> onClosed(connection));
            if (!promise.trySuccess(connection)) {
                release(connection, true);
            }
        });
    }

    private void onClosed(Channel connection) {
        synchronized (this) {
            ArrayDeque<Channel> loopIdle = idle.get(connection.eventLoop());
            if (loopIdle != null) {
                loopIdle.remove(connection);
            }
        }
        slotFreed();
    }

    /** Gives a freed slot to the first waiter that is still waiting, or returns it. */
    private void slotFreed() {
        Waiter next;
        synchronized (this) {
            do {
                next = waiters.poll();
            } while (next != null && next.promise.isDone());
            if (next == null || closed) {
                open--;
                return;
            }
        }
        Waiter waiter = next;
        waiter.loop.execute(() -> connect(waiter.loop, waiter.promise));
    }

    private Channel pollIdle(EventLoop loop) {
        ArrayDeque<Channel> loopIdle = idle.get(loop);
        while (loopIdle != null && !loopIdle.isEmpty()) {
            Channel connection = loopIdle.pop();
            if (connection.isActive()) {
                return connection;
            }
        }
        return null;
    }

    private Channel pollIdleOfOtherLoop() {
        for (Map.Entry<EventLoop, ArrayDeque<Channel>> entry : idle.entrySet()) {
            Channel connection = entry.getValue().pollLast();
            if (connection != null) {
                return connection;
            }
        }
        return null;
    }

    private Waiter pollWaiter(EventLoop loop) {
        Iterator<Waiter> iterator = waiters.iterator();
        while (iterator.hasNext()) {
            Waiter waiter = iterator.next();
            if (waiter.promise.isDone()) {
                iterator.remove();
            } else if (waiter.loop == loop) {
                iterator.remove();
                return waiter;
            }
        }
        return null;
    }

    private record Waiter(EventLoop loop, Promise<Channel> promise) {
    }
}
