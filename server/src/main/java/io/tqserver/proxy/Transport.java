package io.tqserver.proxy;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * Socket transport of the proxy: Linux's io_uring when the kernel allows it, native epoll when
 * its library loads, NIO otherwise. The system property {@code tqserver.transport} ({@code
 * io_uring}, {@code epoll} or {@code nio}) picks one; an unavailable choice falls back to the
 * next in that order. Client and worker connections share one event loop group so that a worker
 * connection runs on the same thread as the client connection it serves.
 */
public enum Transport {
    IO_URING(IoUringServerSocketChannel.class, IoUringSocketChannel.class),
    EPOLL(EpollServerSocketChannel.class, EpollSocketChannel.class),
    NIO(NioServerSocketChannel.class, NioSocketChannel.class);

    /** System property that picks a transport by name. */
    public static final String PROPERTY = "tqserver.transport";

    private final Class<? extends ServerChannel> serverChannelType;
    private final Class<? extends SocketChannel> socketChannelType;

    Transport(
            Class<? extends ServerChannel> serverChannelType,
            Class<? extends SocketChannel> socketChannelType) {
        this.serverChannelType = serverChannelType;
        this.socketChannelType = socketChannelType;
    }

    /**
     * Returns the transport named by {@link #PROPERTY}, or the first available one from
     * io_uring down when the property is not set.
     *
     * @throws IllegalArgumentException when the property names no transport
     */
    public static Transport best() {
        String name = System.getProperty(PROPERTY, "");
        Transport chosen = switch (name) {
            case "", "io_uring" -> IO_URING;
            case "epoll" -> EPOLL;
            case "nio" -> NIO;
            default -> throw new IllegalArgumentException("invalid -D" + PROPERTY + "=" + name
                    + ": expected io_uring, epoll or nio");
        };
        if (chosen == IO_URING && !IoUring.isAvailable()) {
            chosen = EPOLL;
        }
        if (chosen == EPOLL && !Epoll.isAvailable()) {
            chosen = NIO;
        }
        return chosen;
    }

    /** Creates an event loop group of {@code threads} threads, or Netty's default when 0. */
    public EventLoopGroup newEventLoopGroup(int threads) {
        IoHandlerFactory factory = switch (this) {
            case IO_URING -> IoUringIoHandler.newFactory();
            case EPOLL -> EpollIoHandler.newFactory();
            case NIO -> NioIoHandler.newFactory();
        };
        return new MultiThreadIoEventLoopGroup(threads, factory);
    }

    public Class<? extends ServerChannel> serverChannelType() {
        return serverChannelType;
    }

    public Class<? extends SocketChannel> socketChannelType() {
        return socketChannelType;
    }
}
