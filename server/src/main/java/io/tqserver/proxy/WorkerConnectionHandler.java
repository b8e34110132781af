package io.tqserver.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last handler of a pooled worker connection: hands what the worker sends to the exchange the
 * connection is bound to. A connection between exchanges is bound to nothing, and anything the
 * worker sends then is a protocol error that closes it.
 *
 * @param <E> the exchange type that the connection's protocol serves
 */
abstract class WorkerConnectionHandler<E extends ClientExchange>
        extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(WorkerConnectionHandler.class);

    private E exchange;

    void bind(E boundExchange) {
        exchange = boundExchange;
    }

    void unbind() {
        exchange = null;
    }

    /** Returns the bound exchange, or {@code null} between exchanges. */
    final E exchange() {
        return exchange;
    }

    /** Hands one decoded message from the worker to {@code bound}, which owns it from then on. */
    abstract void read(E bound, Object msg);

    @Override
    public final void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (exchange == null) {
            ReferenceCountUtil.release(msg);
            log.debug("unexpected data on an idle worker connection {}", ctx.channel());
            ctx.close();
            return;
        }
        read(exchange, msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.onWorkerReadComplete();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.onWorkerWritabilityChanged(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.onWorkerClosed();
        }
    }
}
