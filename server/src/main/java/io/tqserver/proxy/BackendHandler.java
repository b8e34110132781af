package io.tqserver.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last handler of a worker connection: hands the worker's response to the exchange the
 * connection is bound to. A pooled connection between exchanges is bound to nothing, and
 * anything the worker sends then is a protocol error that closes it.
 */
final class BackendHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(BackendHandler.class);

    private ProxyExchange exchange;

    void bind(ProxyExchange boundExchange) {
        exchange = boundExchange;
    }

    void unbind() {
        exchange = null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (exchange == null) {
            ReferenceCountUtil.release(msg);
            log.debug("unexpected data on an idle worker connection {}", ctx.channel());
            ctx.close();
            return;
        }
        if (msg instanceof HttpResponse response) {
            exchange.onWorkerResponse(response);
        }
        if (msg instanceof HttpContent content) {
            if (exchange != null) {
                exchange.onWorkerContent(content);
            } else {
                content.release();
            }
        } else if (msg instanceof ByteBuf bytes) {
            // After a 101 response the decoder passes the new protocol's bytes through as-is.
            exchange.onWorkerBytes(bytes);
        }
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

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("worker connection failed {} cause={}", ctx.channel(), cause.toString());
        ctx.close();
    }
}
