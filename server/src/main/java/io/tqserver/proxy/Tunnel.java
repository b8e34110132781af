package io.tqserver.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client connection and a worker connection joined as a two-way byte stream after the worker
 * accepted an upgrade with {@code 101 Switching Protocols}, as a WebSocket handshake does. The
 * HTTP handlers leave both pipelines; bytes, including WebSocket close frames, pass unchanged.
 * Reading pauses on the side whose peer cannot take more. A half-close on one side shuts the
 * output of the other. The tunnel closes when both directions have ended or when either
 * connection closes. It also closes when no byte moved either way for the tunnel idle timeout.
 */
final class Tunnel {

    private static final Logger log = LoggerFactory.getLogger(Tunnel.class);

    private final Channel client;
    private final Channel worker;
    private final Runnable onClose;
    private boolean closed;

    private Tunnel(Channel client, Channel worker, Runnable onClose) {
        this.client = client;
        this.worker = worker;
        this.onClose = onClose;
    }

    /**
     * Turns both connections into a tunnel. Must run on their shared event loop, outside any
     * handler of either pipeline.
     *
     * @param workerBytes bytes the worker sent after its 101 response and before this call
     * @param onClose runs once when the tunnel closes
     */
    static void open(
            Channel client, Channel worker, List<ByteBuf> workerBytes, Duration idleTimeout,
            Runnable onClose) {
        Tunnel tunnel = new Tunnel(client, worker, onClose);
        TunnelHandler fromClient = new TunnelHandler(tunnel, worker);
        TunnelHandler fromWorker = new TunnelHandler(tunnel, client);
        fromWorker.bufferedDuringSetup.addAll(workerBytes);
        IdleStateHandler idleHandler =
                new IdleStateHandler(0, 0, idleTimeout.toMillis(), TimeUnit.MILLISECONDS);
        client.pipeline().addLast(idleHandler, fromClient);
        worker.pipeline().addLast(fromWorker);
        removeHttpHandlers(client.pipeline(), Set.of(idleHandler, fromClient),
                HttpServerCodec.class);
        removeHttpHandlers(worker.pipeline(), Set.of(fromWorker), HttpClientCodec.class);
        client.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        worker.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        client.closeFuture().addListener(closedClient -> tunnel.close());
        worker.closeFuture().addListener(closedWorker -> tunnel.close());
        fromClient.release();
        fromWorker.release();
        client.config().setAutoRead(true);
        worker.config().setAutoRead(true);
    }

    /**
     * Removes every handler but {@code kept}, the codec last, so that bytes it had read but not
     * decoded reach the tunnel handler.
     */
    private static void removeHttpHandlers(
            ChannelPipeline pipeline, Set<ChannelHandler> kept,
            Class<? extends ChannelHandler> codecType) {
        List<ChannelHandler> handlers = new ArrayList<>(pipeline.toMap().values());
        ChannelHandler codec = null;
        // Later handlers go first, so a flow control queue drains into the tunnel handler.
        for (int i = handlers.size() - 1; i >= 0; i--) {
            ChannelHandler handler = handlers.get(i);
            if (codecType.isInstance(handler)) {
                codec = handler;
            } else if (!kept.contains(handler)) {
                pipeline.remove(handler);
            }
        }
        if (codec != null) {
            pipeline.remove(codec);
        }
    }

    private void onInputShutdown(Channel from) {
        Channel to = from == client ? worker : client;
        to.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) flushed -> {
            if (flushed.isSuccess() && to instanceof DuplexChannel duplex) {
                duplex.shutdownOutput();
            }
        });
        if (isInputShutdown(client) && isInputShutdown(worker)) {
            close();
        }
    }

    private static boolean isInputShutdown(Channel channel) {
        return channel instanceof DuplexChannel duplex && duplex.isInputShutdown();
    }

    /** Closes both connections once the pending bytes are written, exactly once. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        client.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        worker.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        onClose.run();
    }

    /** Relays what one side of the tunnel reads to the other side. */
    private static final class TunnelHandler extends ChannelInboundHandlerAdapter {

        private final Tunnel tunnel;
        private final Channel peer;
        /** Messages read while the pipelines were rebuilt; {@code null} once relayed. */
        private List<Object> bufferedDuringSetup = new ArrayList<>();

        TunnelHandler(Tunnel tunnel, Channel peer) {
            this.tunnel = tunnel;
            this.peer = peer;
        }

        /** Relays the messages buffered while the pipelines were being rebuilt. */
        void release() {
            List<Object> pending = bufferedDuringSetup;
            bufferedDuringSetup = null;
            for (Object message : pending) {
                peer.write(message);
            }
            peer.flush();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf)) {
                // Leftovers of the HTTP pipelines, such as the end of the upgrade request.
                // NOTE: bytes a client sent behind its upgrade request, before the 101, were
                // decoded as a further HTTP request and are dropped here. RFC 6455 section 4.1
                // forbids a WebSocket client to send data before the handshake response.
                ReferenceCountUtil.release(msg);
                return;
            }
            if (bufferedDuringSetup != null) {
                bufferedDuringSetup.add(msg);
                return;
            }
            peer.write(msg).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
            if (!peer.isWritable()) {
                // Pause before flushing, so that a flush that drains the buffer at once and
                // resumes reading is not undone.
                ctx.channel().config().setAutoRead(false);
                peer.flush();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            peer.flush();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            peer.config().setAutoRead(ctx.channel().isWritable());
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof ChannelInputShutdownEvent) {
                tunnel.onInputShutdown(ctx.channel());
            } else if (event instanceof IdleStateEvent) {
                log.debug("tunnel idle timed out client={}", tunnel.client.remoteAddress());
                tunnel.close();
            }
            ReferenceCountUtil.release(event);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            tunnel.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("tunnel connection failed {} cause={}", ctx.channel(), cause.toString());
            tunnel.close();
        }
    }
}
