package io.tqserver.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.tqserver.fastcgi.FastCgiConnectionPool;
import io.tqserver.fastcgi.FastCgiRecordDecoder;
import io.tqserver.fastcgi.FastCgiResponseDecoder;
import io.tqserver.routing.WorkerInstance;
import io.tqserver.routing.WorkerProtocol;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** The FastCGI connection pool of each php-fpm instance; a pool closes with its instance. */
final class FastCgiPools {

    private static final int CONNECT_TIMEOUT_MS = 5_000;

    private final Transport transport;
    private final Duration idleTimeout;
    private final Map<WorkerInstance, FastCgiConnectionPool> pools = new ConcurrentHashMap<>();

    /** @param idleTimeout how long an unused pooled connection stays open */
    FastCgiPools(Transport transport, Duration idleTimeout) {
        this.transport = transport;
        this.idleTimeout = idleTimeout;
    }

    FastCgiConnectionPool of(WorkerInstance instance) {
        FastCgiConnectionPool pool = pools.get(instance);
        if (pool != null) {
            return pool;
        }
        FastCgiConnectionPool created = pools.computeIfAbsent(instance, this::newPool);
        instance.stopped().thenRun(() -> {
            pools.remove(instance);
            created.close();
        });
        return created;
    }

    private FastCgiConnectionPool newPool(WorkerInstance instance) {
        WorkerProtocol.FastCgi site = (WorkerProtocol.FastCgi) instance.protocol();
        Bootstrap bootstrap = new Bootstrap()
                .channel(transport.socketChannelType())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MS)
                .remoteAddress(instance.address())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel connection) {
                        connection.pipeline().addLast(
                                new IdleStateHandler(0, 0, idleTimeout.toMillis(),
                                        TimeUnit.MILLISECONDS),
                                new FastCgiRecordDecoder(),
                                new FastCgiResponseDecoder(),
                                new FlowControlHandler(),
                                new FastCgiBackendHandler());
                    }
                });
        return new FastCgiConnectionPool(bootstrap, site.maxConnections());
    }
}
