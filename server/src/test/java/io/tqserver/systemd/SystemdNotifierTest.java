package io.tqserver.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Notifications sent to a real Unix datagram socket standing in for systemd's. */
class SystemdNotifierTest {

    @TempDir
    Path folder;

    @Test
    void readySendsReadyToSocket() throws Exception {
        assumeTrue(Epoll.isAvailable(), "native epoll is needed for Unix datagram sockets");
        Path socket = folder.resolve("notify");
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            Channel receiver = new Bootstrap().group(group)
                    .channel(EpollDomainDatagramChannel.class)
                    .handler(new SimpleChannelInboundHandler<DomainDatagramPacket>() {
                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx,
                                DomainDatagramPacket packet) {
                            received.add(packet.content().toString(StandardCharsets.UTF_8));
                        }
                    })
                    .bind(new DomainSocketAddress(socket.toString())).sync().channel();

            SystemdNotifier notifier = new SystemdNotifier(socket.toString());
            assertThat(notifier.send("RELOADING=1")).isTrue();
            notifier.ready("serving");
            notifier.stopping();

            assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("RELOADING=1");
            assertThat(received.poll(10, TimeUnit.SECONDS)).startsWith("READY=1\n")
                    .contains("STATUS=serving\n")
                    .endsWith("MAINPID=" + ProcessHandle.current().pid());
            assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("STOPPING=1");
            receiver.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void withoutSocketNothingIsSent() {
        assertThat(new SystemdNotifier(null).send("READY=1")).isFalse();
        assertThat(new SystemdNotifier("").send("READY=1")).isFalse();
    }

    @Test
    void abstractSocketIsSkipped() {
        assertThat(new SystemdNotifier("@tqserver-notify").send("READY=1")).isFalse();
    }
}
