package io.tqserver.systemd;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells systemd about the daemon's state through the datagram socket named by
 * {@code NOTIFY_SOCKET}, as a unit of {@code Type=notify} expects: {@code READY=1} once the
 * proxy listens and the workers have started, {@code RELOADING=1} and {@code READY=1} around a
 * reload, {@code STOPPING=1} at shutdown. Without {@code NOTIFY_SOCKET} every call does nothing.
 *
 * <p>The message goes through Netty's native epoll transport, since the JDK has no Unix datagram
 * socket. Abstract socket names (starting with {@code @}) are not supported by that transport,
 * and are logged and skipped; systemd passes a path unless configured otherwise.
 */
public final class SystemdNotifier {

    private static final Logger log = LoggerFactory.getLogger(SystemdNotifier.class);

    private static final long SEND_TIMEOUT_MILLIS = 2000;

    private final String socketPath;

    public SystemdNotifier(String socketPath) {
        this.socketPath = socketPath;
    }

    /** Creates a notifier for the socket in this process's {@code NOTIFY_SOCKET}, if any. */
    public static SystemdNotifier fromEnvironment() {
        return new SystemdNotifier(System.getenv("NOTIFY_SOCKET"));
    }

    public void ready(String status) {
        send("READY=1\nSTATUS=" + status + "\nMAINPID=" + ProcessHandle.current().pid());
    }

    public void reloading() {
        send("RELOADING=1");
    }

    public void stopping() {
        send("STOPPING=1");
    }

    /**
     * Sends one notification and waits for it to be written.
     *
     * @return whether the message was sent; false when there is no socket or sending failed
     */
    public boolean send(String message) {
        if (socketPath == null || socketPath.isEmpty()) {
            return false;
        }
        if (socketPath.startsWith("@")) {
            log.warn("systemd notification skipped, abstract socket not supported socket={}",
                    socketPath);
            return false;
        }
        if (!Epoll.isAvailable()) {
            log.warn("systemd notification skipped, native epoll unavailable: {}",
                    Epoll.unavailabilityCause().toString());
            return false;
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            // Connecting a datagram socket only sets its destination; nothing is exchanged.
            Channel channel = new Bootstrap().group(group)
                    .channel(EpollDomainDatagramChannel.class)
                    .handler(new ChannelInboundHandlerAdapter())
                    .connect(new DomainSocketAddress(socketPath)).syncUninterruptibly().channel();
            ChannelFuture written =
                    channel.writeAndFlush(Unpooled.copiedBuffer(message, StandardCharsets.UTF_8));
            written.awaitUninterruptibly(SEND_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            channel.close().awaitUninterruptibly(SEND_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            if (!written.isSuccess()) {
                log.warn("systemd notification not sent socket={} message={}", socketPath,
                        message.replace('\n', ' '), written.cause());
            }
            return written.isSuccess();
        } catch (Exception e) {
            // Netty rethrows a failed connect's IOException from syncUninterruptibly unchecked.
            log.warn("systemd notification failed socket={}", socketPath, e);
            return false;
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
