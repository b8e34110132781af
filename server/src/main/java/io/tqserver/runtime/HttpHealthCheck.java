package io.tqserver.runtime;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A single {@code GET /health} over HTTP/1.1 to a worker instance, healthy when the status is
 * 200. Uses a plain socket so that a check costs one connection and no client state.
 */
public final class HttpHealthCheck {

    /** Path that workers serve their health status on. */
    public static final String PATH = "/health";

    /** Maximum length of the status line that is read, since a longer one is not valid. */
    private static final int MAX_STATUS_LINE = 256;

    private HttpHealthCheck() {
    }

    /**
     * Sends the check and reads the status line.
     *
     * @param timeout how long connecting, and then each read, may take
     * @return whether the status was 200; false on any I/O failure or time-out
     */
    public static boolean isHealthy(InetSocketAddress address, Duration timeout) {
        int timeoutMillis = (int) Math.max(1, timeout.toMillis());
        try (Socket socket = new Socket()) {
            socket.connect(address, timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            sendRequest(socket.getOutputStream(), address);
            InputStream in = new BufferedInputStream(socket.getInputStream(), MAX_STATUS_LINE);
            return readStatusLine(in).matches("HTTP/1\\.[01] 200( .*)?");
        } catch (IOException e) {
            return false;
        }
    }

    private static void sendRequest(OutputStream out, InetSocketAddress address)
            throws IOException {
        String request = "GET " + PATH + " HTTP/1.1\r\n"
                + "Host: " + address.getHostString() + ":" + address.getPort() + "\r\n"
                + "User-Agent: tqserver-health-check\r\n"
                + "Connection: close\r\n\r\n";
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String readStatusLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        while (line.length() < MAX_STATUS_LINE) {
            int next = in.read();
            if (next < 0 || next == '\n') {
                break;
            }
            if (next != '\r') {
                line.append((char) next);
            }
        }
        return line.toString();
    }
}
