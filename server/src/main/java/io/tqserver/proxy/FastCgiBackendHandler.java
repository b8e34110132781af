package io.tqserver.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.tqserver.fastcgi.FastCgiEndRequest;
import io.tqserver.fastcgi.FastCgiStderr;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last handler of a FastCGI connection to php-fpm, bound to one {@link FastCgiExchange} at a
 * time. An idle pooled connection also closes when it stays idle past the idle timeout.
 */
final class FastCgiBackendHandler extends WorkerConnectionHandler<FastCgiExchange> {

    private static final Logger log = LoggerFactory.getLogger(FastCgiBackendHandler.class);

    @Override
    void read(FastCgiExchange bound, Object msg) {
        if (msg instanceof HttpResponse response) {
            bound.onWorkerResponse(response);
        } else if (msg instanceof HttpContent content) {
            bound.onWorkerContent(content);
        } else if (msg instanceof FastCgiStderr stderr) {
            bound.onWorkerStderr(stderr.text());
        } else if (msg instanceof FastCgiEndRequest end) {
            bound.onWorkerEnd(end);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent && exchange() == null) {
            ctx.close();
            return;
        }
        ReferenceCountUtil.release(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.warn("FastCGI connection failed {} cause={}", ctx.channel(), cause.toString());
        ctx.close();
    }
}
