package io.tqserver.fastcgi;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One FastCGI request to php-fpm's {@code ping.path} over a plain socket, healthy when the
 * response body is the configured {@code ping.response}. The check costs one connection and
 * one php-fpm child for the time of the request.
 */
public final class FastCgiPing {

    /** Largest response read; php-fpm's ping response is a few dozen bytes. */
    private static final int MAX_RESPONSE_BYTES = 16 * 1024;

    private FastCgiPing() {
    }

    /**
     * Sends the ping and reads the response until END_REQUEST.
     *
     * @param timeout how long connecting, and then each read, may take
     * @return whether the STDOUT body equals {@code expectedBody}; false on any I/O failure
     */
    public static boolean isHealthy(
            InetSocketAddress address, String pingPath, String expectedBody, Duration timeout) {
        int timeoutMillis = (int) Math.max(1, timeout.toMillis());
        try (Socket socket = new Socket()) {
            socket.connect(address, timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            send(socket.getOutputStream(), pingPath);
            String stdout = readStdout(socket.getInputStream());
            int bodyStart = stdout.indexOf("\r\n\r\n");
            return bodyStart >= 0 && !stdout.regionMatches(true, 0, "Status: 5", 0, 9)
                    && stdout.substring(bodyStart + 4).trim().equals(expectedBody);
        } catch (IOException e) {
            return false;
        }
    }

    private static void send(OutputStream out, String pingPath) throws IOException {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("GATEWAY_INTERFACE", "CGI/1.1");
        params.put("REQUEST_METHOD", "GET");
        params.put("SCRIPT_NAME", pingPath);
        params.put("SCRIPT_FILENAME", pingPath);
        params.put("REQUEST_URI", pingPath);
        params.put("QUERY_STRING", "");
        params.put("SERVER_PROTOCOL", "HTTP/1.1");
        params.put("REMOTE_ADDR", "127.0.0.1");
        ByteBufAllocator alloc = UnpooledByteBufAllocator.DEFAULT;
        ByteBuf request = Unpooled.wrappedBuffer(
                FastCgiRequestEncoder.beginRequest(alloc, 1, false),
                FastCgiRequestEncoder.params(alloc, 1, params),
                FastCgiRequestEncoder.endOfStdin(alloc, 1));
        try {
            byte[] bytes = new byte[request.readableBytes()];
            request.readBytes(bytes);
            out.write(bytes);
            out.flush();
        } finally {
            request.release();
        }
    }

    private static String readStdout(InputStream socketInput) throws IOException {
        DataInputStream in = new DataInputStream(socketInput);
        StringBuilder stdout = new StringBuilder();
        byte[] header = new byte[FastCgiRecord.HEADER_BYTES];
        while (stdout.length() < MAX_RESPONSE_BYTES) {
            in.readFully(header);
            int type = header[1] & 0xff;
            int contentLength = ((header[4] & 0xff) << 8) | (header[5] & 0xff);
            byte[] content = new byte[contentLength + (header[6] & 0xff)];
            in.readFully(content);
            if (type == FastCgiRecord.END_REQUEST) {
                return stdout.toString();
            }
            if (type == FastCgiRecord.STDOUT) {
                stdout.append(new String(content, 0, contentLength, StandardCharsets.UTF_8));
            }
        }
        throw new IOException("ping response longer than " + MAX_RESPONSE_BYTES + " bytes");
    }
}
