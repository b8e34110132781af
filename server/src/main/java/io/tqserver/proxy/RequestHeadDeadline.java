package io.tqserver.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import java.time.Duration;

/**
 * The deadline for a request head: it starts at the first byte of a request and ends when the
 * decoder has the whole head. Two handlers share it, one in front of the HTTP codec that sees
 * the first byte and one behind it that sees the decoded head. When the deadline passes, the
 * {@link #EXPIRED} event goes to the {@link FrontendHandler}. No worker connection is taken
 * before a head is complete, so a slow client holds none.
 */
final class RequestHeadDeadline {

    /** User event sent when a request head did not arrive in time. */
    static final Object EXPIRED = new Object();

    private static final long NONE = Long.MAX_VALUE;

    private final long timeoutNanos;
    private ChannelHandlerContext headContext;
    private LazyDeadlineTimer timer;
    private long deadlineNanos = NONE;
    private boolean awaitingHead = true;
    /** Whether bytes of the next request head have arrived, so its deadline runs. */
    private boolean headStarted;
    private boolean paused;

    RequestHeadDeadline(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    /** Returns the handler that goes in front of the HTTP codec. */
    ChannelHandler byteWatcher() {
        return new ByteWatcher();
    }

    /** Returns the handler that goes right behind the HTTP codec. */
    ChannelHandler headWatcher() {
        return new HeadWatcher();
    }

    /** Stops the deadline while the proxy does not read from the client. */
    void pause() {
        paused = true;
        cancel();
    }

    /** Restarts the deadline, with the whole timeout, for a head that has started to arrive. */
    void resume() {
        paused = false;
        if (headStarted && headContext != null) {
            start(headContext);
        }
    }

    private void onBytes(ChannelHandlerContext ctx) {
        if (awaitingHead) {
            headStarted = true;
            start(ctx);
        }
    }

    private void start(ChannelHandlerContext ctx) {
        if (awaitingHead && !paused && deadlineNanos == NONE) {
            if (timer == null) {
                timer = new LazyDeadlineTimer(ctx.executor(), this::expire);
            }
            deadlineNanos = System.nanoTime() + timeoutNanos;
            timer.armBy(deadlineNanos);
        }
    }

    private void onHead() {
        awaitingHead = false;
        headStarted = false;
        cancel();
    }

    /** Ends the deadline. The timer's armed task then fires for nothing and is not renewed. */
    private void cancel() {
        deadlineNanos = NONE;
    }

    private void stop() {
        cancel();
        if (timer != null) {
            timer.stop();
        }
    }

    private void expire() {
        if (deadlineNanos == NONE) {
            return;
        }
        if (deadlineNanos - System.nanoTime() > 0) {
            timer.armBy(deadlineNanos);
            return;
        }
        deadlineNanos = NONE;
        if (awaitingHead && headContext != null) {
            headContext.fireUserEventTriggered(EXPIRED);
        }
    }

    private final class ByteWatcher extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf bytes) || !bytes.isReadable()) {
                ctx.fireChannelRead(msg);
                return;
            }
            onBytes(ctx);
            bytes.retain();
            try {
                ctx.fireChannelRead(bytes);
                // The codec keeps a buffer it could not decode to the end as its input for the
                // next read. Bytes left behind the end of a request are the start of the next
                // head, which got no deadline above because a body was still being read.
                // NOTE: when the codec copied this read behind bytes kept from an earlier read,
                // this buffer is consumed, so a left-over head start goes unnoticed. Only the
                // idle timeout then closes a connection whose head stalls.
                if (bytes.isReadable()) {
                    onBytes(ctx);
                }
            } finally {
                bytes.release();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            stop();
            ctx.fireChannelInactive();
        }
    }

    private final class HeadWatcher extends ChannelInboundHandlerAdapter {

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            headContext = ctx;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest) {
                onHead();
            }
            if (msg instanceof LastHttpContent) {
                // The next byte starts the next request.
                awaitingHead = true;
            }
            ctx.fireChannelRead(msg);
        }
    }
}
