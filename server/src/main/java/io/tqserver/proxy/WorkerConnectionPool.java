package io.tqserver.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.tqserver.routing.WorkerInstance;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Keep-alive connections to worker instances. Each event loop keeps its own idle connections
 * per instance, so a worker connection is always used on the thread of the client connection it
 * serves and no lock is taken on the request path. An idle connection the worker closes leaves
 * the pool at once; the idle connections of an instance close when its process stops.
 */
final class WorkerConnectionPool {

    /** Whether a connection has already carried a request, which makes a failure retryable. */
    static final AttributeKey<Boolean> REUSED = AttributeKey.valueOf("tqserver.reused");

    private static final int MAX_RESPONSE_LINE_BYTES = 8 * 1024;
    private static final int MAX_RESPONSE_HEADER_BYTES = 64 * 1024;
    private static final int MAX_CHUNK_BYTES = 64 * 1024;

    /** Idle connections kept per instance and event loop; more are closed when released. */
    private static final int MAX_IDLE_PER_LOOP = 128;

    private final EventLoopGroup group;
    private final Transport transport;
    private final Duration connectTimeout;
    private final FastThreadLocal<Map<WorkerInstance, ArrayDeque<Channel>>> idleOfLoop =
            new FastThreadLocal<>() {
                @Override
                protected Map<WorkerInstance, ArrayDeque<Channel>> initialValue() {
                    return new HashMap<>();
                }
            };

    WorkerConnectionPool(EventLoopGroup group, Transport transport, Duration connectTimeout) {
        this.group = group;
        this.transport = transport;
        this.connectTimeout = connectTimeout;
    }

    /**
     * Acquires an idle connection to {@code instance}, or opens a new one. {@code loop} must be
     * the current thread's event loop. The connection goes back with {@link #release}.
     */
    Future<Channel> acquire(EventLoop loop, WorkerInstance instance) {
        ArrayDeque<Channel> idle = idleOfLoop.get().get(instance);
        while (idle != null && !idle.isEmpty()) {
            Channel worker = idle.pollLast();
            if (worker.isActive()) {
                worker.attr(REUSED).set(Boolean.TRUE);
                return loop.newSucceededFuture(worker);
            }
        }
        return connect(loop, instance);
    }

    /** Opens a new connection to {@code instance} on {@code loop}, bypassing idle ones. */
    Future<Channel> connect(EventLoop loop, WorkerInstance instance) {
        Map<WorkerInstance, ArrayDeque<Channel>> pools = idleOfLoop.get();
        if (!pools.containsKey(instance)) {
            pools.put(instance, new ArrayDeque<>());
            instance.stopped().thenRun(this::closeIdleOfStoppedInstances);
        }
        Promise<Channel> connected = loop.newPromise();
        ChannelFuture connecting = newBootstrap(loop, instance).connect();
        connecting.addListener(attempt -> {
            if (attempt.isSuccess()) {
                connected.setSuccess(connecting.channel());
            } else {
                connected.setFailure(attempt.cause());
            }
        });
        return connected;
    }

    /** Returns a connection to its pool, which keeps it only if it is open and has room. */
    void release(WorkerInstance instance, Channel worker) {
        ArrayDeque<Channel> idle = idleOfLoop.get().get(instance);
        if (idle == null || !worker.isActive() || idle.size() >= MAX_IDLE_PER_LOOP
                || instance.stopped().isDone()) {
            worker.close();
            return;
        }
        worker.config().setAutoRead(true);
        idle.addLast(worker);
    }

    private Bootstrap newBootstrap(EventLoop loop, WorkerInstance instance) {
        return new Bootstrap()
                .group(loop)
                .channel(transport.socketChannelType())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
                .remoteAddress(instance.address())
                .handler(new WorkerChannelInitializer(this, instance));
    }

    /** Forgets {@code worker} if it is idle; called when a worker connection closes. */
    private void forget(WorkerInstance instance, Channel worker) {
        ArrayDeque<Channel> idle = idleOfLoop.get().get(instance);
        if (idle != null) {
            idle.remove(worker);
        }
    }

    /** Closes, on every event loop, the idle connections whose instance has stopped. */
    private void closeIdleOfStoppedInstances() {
        for (var executor : group) {
            executor.execute(() -> idleOfLoop.get().entrySet().removeIf(entry -> {
                if (!entry.getKey().stopped().isDone()) {
                    return false;
                }
                entry.getValue().forEach(Channel::close);
                return true;
            }));
        }
    }

    /** Sets up a new worker connection's pipeline. */
    private static final class WorkerChannelInitializer extends ChannelInitializer<Channel> {

        private final WorkerConnectionPool pool;
        private final WorkerInstance instance;

        WorkerChannelInitializer(WorkerConnectionPool pool, WorkerInstance instance) {
            this.pool = pool;
            this.instance = instance;
        }

        @Override
        protected void initChannel(Channel worker) {
            worker.pipeline().addLast(
                    new HttpClientCodec(
                            MAX_RESPONSE_LINE_BYTES, MAX_RESPONSE_HEADER_BYTES, MAX_CHUNK_BYTES),
                    new FlowControlHandler(),
                    new BackendHandler());
            worker.closeFuture().addListener(closed -> pool.forget(instance, worker));
        }
    }
}
