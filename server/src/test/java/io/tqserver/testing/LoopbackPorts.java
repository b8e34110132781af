package io.tqserver.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Finds TCP ports on 127.0.0.1 that nothing uses, for the front port and the worker port range
 * of a daemon or worker under test. Other daemons may run on the machine, so no port is assumed
 * free.
 *
 * <p>Ports come from below the kernel's ephemeral range: a port inside it that is free now may
 * be given to an outgoing connection (the proxy's, a health check's) before the daemon binds
 * it, and the worker started on it would then fail.
 */
public final class LoopbackPorts {

    private static final int LOWEST = 10_000;
    /** Used when the ephemeral range cannot be read: the lower end of Linux's default. */
    private static final int DEFAULT_EPHEMERAL_LOW = 32_768;
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final int MAX_TRIES = 200;

    private LoopbackPorts() {
    }

    /** Returns a port that can be bound now and that the kernel does not hand out itself. */
    public static int freePort() {
        return freeRange(1);
    }

    /** Returns the first port of {@code count} consecutive ports that can be bound now. */
    public static int freeRange(int count) {
        int highest = ephemeralLow();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int tried = 0; tried < MAX_TRIES; tried++) {
            int first = random.nextInt(LOWEST, highest - count);
            if (allFree(first, count)) {
                return first;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free ports in "
                + LOWEST + ".." + highest + " after " + MAX_TRIES + " tries");
    }

    /** Returns the lowest port the kernel picks for outgoing connections. */
    private static int ephemeralLow() {
        try {
            String[] range = Files.readString(EPHEMERAL_RANGE).trim().split("\\s+");
            int low = Integer.parseInt(range[0]);
            return low > LOWEST + 1_000 ? low : DEFAULT_EPHEMERAL_LOW;
        } catch (IOException | RuntimeException e) {
            return DEFAULT_EPHEMERAL_LOW;
        }
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
