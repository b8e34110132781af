package io.tqserver.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Finds TCP ports on 127.0.0.1 that nothing uses, for the front port and the worker port range
 * of a daemon under test. Other daemons may run on the machine, so no port is assumed free.
 */
final class LoopbackPorts {

    private static final int LOWEST = 20_000;
    private static final int HIGHEST = 60_000;
    private static final int MAX_TRIES = 200;

    private LoopbackPorts() {
    }

    /** Returns a port that the kernel picked as free just now. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    /** Returns the first port of {@code count} consecutive ports that can be bound now. */
    static int freeRange(int count) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int tried = 0; tried < MAX_TRIES; tried++) {
            int first = random.nextInt(LOWEST, HIGHEST - count);
            if (allFree(first, count)) {
                return first;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free ports in "
                + LOWEST + ".." + HIGHEST + " after " + MAX_TRIES + " tries");
    }

    private static boolean allFree(int first, int count) {
        for (int port = first; port < first + count; port++) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }
}
