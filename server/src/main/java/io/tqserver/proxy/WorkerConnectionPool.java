package io.tqserver.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.pool.AbstractChannelPoolHandler;
import io.netty.channel.pool.ChannelHealthChecker;
import io.netty.channel.pool.SimpleChannelPool;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.Future;
import io.tqserver.routing.WorkerInstance;
import java.util.HashMap;
import java.util.Map;

/**
 * Keep-alive connections to worker instances. Each event loop keeps its own pool per instance,
 * so a worker connection is always used on the thread of the client connection it serves and
 * no lock is taken on the request path. An instance's pools close when its process stops.
 */
final class WorkerConnectionPool {

    /** Whether a connection has already carried a request, which makes a failure retryable. */
    static final AttributeKey<Boolean> REUSED = AttributeKey.valueOf("tqserver.reused");

    private static final int MAX_RESPONSE_HEADER_BYTES = 64 * 1024;
    private static final int MAX_CHUNK_BYTES = 64 * 1024;
    private static final int CONNECT_TIMEOUT_MS = 5_000;

    private final EventLoopGroup group;
    private final Transport transport;
    private final FastThreadLocal<Map<WorkerInstance, SimpleChannelPool>> poolsOfLoop =
            new FastThreadLocal<>() {
                @Override
                protected Map<WorkerInstance, SimpleChannelPool> initialValue() {
                    return new HashMap<>();
                }
            };

    WorkerConnectionPool(EventLoopGroup group, Transport transport) {
        this.group = group;
        this.transport = transport;
    }

    /**
     * Acquires a connection to {@code instance} on {@code loop}, which must be the current
     * thread's event loop. The connection goes back with {@link #release}.
     */
    Future<Channel> acquire(EventLoop loop, WorkerInstance instance) {
        Map<WorkerInstance, SimpleChannelPool> pools = poolsOfLoop.get();
        SimpleChannelPool pool = pools.get(instance);
        if (pool == null) {
            pool = newPool(loop, instance);
            pools.put(instance, pool);
            instance.stopped().thenRun(this::closePoolsOfStoppedInstances);
        }
        return pool.acquire();
    }

    /** Returns a connection to its pool, which keeps it only if it is still open. */
    void release(WorkerInstance instance, Channel worker) {
        SimpleChannelPool pool = poolsOfLoop.get().get(instance);
        worker.attr(REUSED).set(Boolean.TRUE);
        if (pool == null) {
            worker.close();
            return;
        }
        worker.config().setAutoRead(true);
        pool.release(worker);
    }

    private SimpleChannelPool newPool(EventLoop loop, WorkerInstance instance) {
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channel(transport.socketChannelType())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MS)
                .remoteAddress(instance.address());
        return new SimpleChannelPool(
                bootstrap, new PoolHandler(), ChannelHealthChecker.ACTIVE, true, true);
    }

    /** Closes, on every event loop, the pools whose instance has stopped. */
    private void closePoolsOfStoppedInstances() {
        for (var executor : group) {
            executor.execute(() -> poolsOfLoop.get().entrySet().removeIf(entry -> {
                if (!entry.getKey().stopped().isDone()) {
                    return false;
                }
                entry.getValue().close();
                return true;
            }));
        }
    }

    /** Sets up a new worker connection's pipeline. */
    private static final class PoolHandler extends AbstractChannelPoolHandler {

        @Override
        public void channelCreated(Channel worker) {
            worker.pipeline().addLast(
                    new HttpClientCodec(4096, MAX_RESPONSE_HEADER_BYTES, MAX_CHUNK_BYTES),
                    new FlowControlHandler(),
                    new BackendHandler());
        }
    }
}
