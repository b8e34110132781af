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
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * Socket transport of the proxy: Linux's native epoll when its library loads, NIO otherwise.
 * Client and worker connections share one event loop group so that a worker connection runs
 * on the same thread as the client connection it serves.
 */
public enum Transport {
    EPOLL(EpollServerSocketChannel.class, EpollSocketChannel.class),
    NIO(NioServerSocketChannel.class, NioSocketChannel.class);

    private final Class<? extends ServerChannel> serverChannelType;
    private final Class<? extends SocketChannel> socketChannelType;

    Transport(
            Class<? extends ServerChannel> serverChannelType,
            Class<? extends SocketChannel> socketChannelType) {
        this.serverChannelType = serverChannelType;
        this.socketChannelType = socketChannelType;
    }

    /** Returns epoll when it is available and not turned off with {@code -Dtqserver.nio=true}. */
    public static Transport best() {
        if (Boolean.getBoolean("tqserver.nio") || !Epoll.isAvailable()) {
            return NIO;
        }
        return EPOLL;
    }

    /** Creates an event loop group of {@code threads} threads, or Netty's default when 0. */
    public EventLoopGroup newEventLoopGroup(int threads) {
        IoHandlerFactory factory =
                this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, factory);
    }

    public Class<? extends ServerChannel> serverChannelType() {
        return serverChannelType;
    }

    public Class<? extends SocketChannel> socketChannelType() {
        return socketChannelType;
    }
}
