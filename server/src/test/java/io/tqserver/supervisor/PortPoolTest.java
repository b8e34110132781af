package io.tqserver.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PortPoolTest {

    @Test
    void skipsPortSomethingListensOn() throws IOException {
        int first = FreePorts.findRange(3);
        try (ServerSocket listener = listenOn(first)) {
            PortPool pool = new PortPool(first, first + 2);

            assertThat(pool.acquire()).hasValue(first + 1);
            assertThat(pool.acquire()).hasValue(first + 2);
            assertThat(pool.acquire()).isEmpty();
        }
    }

    @Test
    void skipsPortListenedOnAllInterfaces() throws IOException {
        int first = FreePorts.findRange(2);
        try (ServerSocket listener = new ServerSocket()) {
            listener.bind(new InetSocketAddress(first));
            PortPool pool = new PortPool(first, first + 1);

            assertThat(pool.acquire()).hasValue(first + 1);
        }
    }

    @Test
    void reusesReleasedPort() {
        int first = FreePorts.findRange(2);
        PortPool pool = new PortPool(first, first + 1);
        OptionalInt leased = pool.acquire();
        assertThat(pool.acquire()).hasValue(first + 1);
        assertThat(pool.acquire()).isEmpty();

        pool.release(leased.getAsInt());

        assertThat(pool.acquire()).isEqualTo(leased);
    }

    @Test
    void handsOutNextPortBeforeReleasedOne() {
        int first = FreePorts.findRange(3);
        PortPool pool = new PortPool(first, first + 2);
        int leased = pool.acquire().getAsInt();

        pool.release(leased);

        assertThat(pool.acquire()).hasValue(first + 1);
    }

    private static ServerSocket listenOn(int port) throws IOException {
        ServerSocket listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return listener;
    }
}
