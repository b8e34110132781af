package io.tqserver.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.tqserver.fastcgi.FastCgiEndRequest;
import io.tqserver.fastcgi.FastCgiStderr;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last handler of a FastCGI connection to php-fpm: hands the decoded response to the
 * {@link FastCgiExchange} the connection is bound to. An idle pooled connection closes when it
 * receives anything or stays idle past the idle timeout.
 */
final class FastCgiBackendHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(FastCgiBackendHandler.class);

    private FastCgiExchange exchange;

    void bind(FastCgiExchange boundExchange) {
        exchange = boundExchange;
    }

    void unbind() {
        exchange = null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (exchange == null) {
            ReferenceCountUtil.release(msg);
            log.debug("unexpected data on an idle FastCGI connection {}", ctx.channel());
            ctx.close();
            return;
        }
        if (msg instanceof HttpResponse response) {
            exchange.onWorkerResponse(response);
        } else if (msg instanceof HttpContent content) {
            exchange.onWorkerContent(content);
        } else if (msg instanceof FastCgiStderr stderr) {
            exchange.onWorkerStderr(stderr.text());
        } else if (msg instanceof FastCgiEndRequest end) {
            exchange.onWorkerEnd(end);
        } else {
            ReferenceCountUtil.release(msg);
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
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent && exchange == null) {
            ctx.close();
            return;
        }
        ReferenceCountUtil.release(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.onWorkerClosed();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.warn("FastCGI connection failed {} cause={}", ctx.channel(), cause.toString());
        ctx.close();
    }
}
