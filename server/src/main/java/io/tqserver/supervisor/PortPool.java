package io.tqserver.supervisor;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashSet;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The ports of {@code workers.port_range_start..port_range_end} that worker instances listen on.
 * One pool serves every worker, so two instances never get the same port. A port is handed out
 * only when nothing listens on it, and comes back only once its process has exited.
 */
final class PortPool {

    private static final int CONNECT_TIMEOUT_MILLIS = 50;

    private int first;
    private int last;
    private final Set<Integer> leased = new HashSet<>();
    private int next;

    /** Creates a pool of the ports {@code first} to {@code last}, inclusive. */
    PortPool(int first, int last) {
        checkRange(first, last);
        this.first = first;
        this.last = last;
        this.next = first;
    }

    /**
     * Leases the next port after the one leased last that is neither leased nor in use, wrapping
     * around at the end of the range.
     *
     * @return the port, or empty when every port of the range is leased or in use
     */
    synchronized OptionalInt acquire() {
        int size = last - first + 1;
        for (int tried = 0; tried < size; tried++) {
            int port = next;
            next = port == last ? first : port + 1;
            if (!leased.contains(port) && !isInUse(port)) {
                leased.add(port);
                return OptionalInt.of(port);
            }
        }
        return OptionalInt.empty();
    }

    /**
     * Changes the range for later leases. Ports already leased outside the new range stay with
     * their processes and are not leased again once released.
     */
    synchronized void resize(int newFirst, int newLast) {
        checkRange(newFirst, newLast);
        first = newFirst;
        last = newLast;
        if (next < first || next > last) {
            next = first;
        }
    }

    /** Returns a port to the pool; call once the process that listened on it has exited. */
    synchronized void release(int port) {
        leased.remove(port);
    }

    private static void checkRange(int first, int last) {
        if (first < 1 || last > 65535 || first > last) {
            throw new IllegalArgumentException("port range: " + first + ".." + last
                    + " (expected: 1 <= start <= end <= 65535)");
        }
    }

    /** Returns the range as {@code start..end}, for messages. */
    synchronized String range() {
        return first + ".." + last;
    }

    /**
     * Returns whether something listens on {@code port} or holds it: a connection to 127.0.0.1
     * succeeds, which also catches listeners on all interfaces, or binding 127.0.0.1 fails.
     */
    static boolean isInUse(int port) {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(loopback, port), CONNECT_TIMEOUT_MILLIS);
            return true;
        } catch (IOException e) {
            // Nothing accepted the connection: check that the port can be bound.
        }
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(loopback, port));
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
