package io.tqserver.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Last handler of an HTTP worker connection, bound to one {@link ProxyExchange} at a time. */
final class BackendHandler extends WorkerConnectionHandler<ProxyExchange> {

    private static final Logger log = LoggerFactory.getLogger(BackendHandler.class);

    @Override
    void read(ProxyExchange bound, Object msg) {
        if (msg instanceof HttpResponse response) {
            bound.onWorkerResponse(response);
        }
        if (msg instanceof HttpContent content) {
            // Handling the head of a full response may have ended the exchange and unbound it.
            ProxyExchange current = exchange();
            if (current != null) {
                current.onWorkerContent(content);
            } else {
                content.release();
            }
        } else if (msg instanceof ByteBuf bytes) {
            // After a 101 response the decoder passes the new protocol's bytes through as-is.
            bound.onWorkerBytes(bytes);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("worker connection failed {} cause={}", ctx.channel(), cause.toString());
        ctx.close();
    }
}
