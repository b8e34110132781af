package io.tqserver.e2e;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One client connection to 127.0.0.1 that writes requests as raw bytes, so the request-target
 * reaches the proxy exactly as written, and reads responses by their framing (length, chunked
 * or until close). Bodies can be consumed as streams, so a body of any size passes through
 * without being held. Every read gives up after {@link #READ_TIMEOUT_MS}.
 */
final class HttpConnection implements AutoCloseable {

    static final int READ_TIMEOUT_MS = 30_000;

    private static final int MAX_HEAD_BYTES = 64 * 1024;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private HttpConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        this.out = socket.getOutputStream();
    }

    /** Connects to {@code port} on 127.0.0.1. */
    static HttpConnection open(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                READ_TIMEOUT_MS);
        socket.setSoTimeout(READ_TIMEOUT_MS);
        socket.setTcpNoDelay(true);
        return new HttpConnection(socket);
    }

    /** Sends one GET for {@code target} on a new connection and reads the whole response. */
    static HttpResponse get(int port, String target) throws IOException {
        try (HttpConnection connection = open(port)) {
            connection.send("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nConnection: close\r\n\r\n");
            return connection.readResponse();
        }
    }

    /** Sends {@code text} as ISO-8859-1 bytes, exactly as written. */
    void send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Returns the stream to write a request body to. */
    OutputStream output() {
        return out;
    }

    /** Reads a response to a request that was not HEAD, with its whole body. */
    HttpResponse readResponse() throws IOException {
        HttpResponse head = readHead();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        readBody(head, body::write);
        return head.withBody(body.toByteArray());
    }

    /** Reads a status line and headers; the body, if any, is left to {@link #readBody}. */
    HttpResponse readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed after " + head.size()
                        + " bytes of a response head: " + head);
            }
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (head.size() > MAX_HEAD_BYTES) {
                throw new IOException("response head longer than " + MAX_HEAD_BYTES + " bytes");
            }
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.computeIfAbsent(lines[i].substring(0, colon), name -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).trim());
        }
        return new HttpResponse(lines[0], headers, new byte[0]);
    }

    /** Passes the body that follows {@code head} to {@code sink} as it arrives. */
    void readBody(HttpResponse head, BodySink sink) throws IOException {
        int status = head.status();
        if (status < 200 || status == 204 || status == 304) {
            return;
        }
        String coding = head.header("Transfer-Encoding");
        if (coding != null && coding.toLowerCase(Locale.ROOT).endsWith("chunked")) {
            copyChunked(sink);
        } else if (head.header("Content-Length") != null) {
            copyFixed(Long.parseLong(head.header("Content-Length")), sink);
        } else {
            copyToEnd(sink);
        }
    }

    /**
     * Returns whether the peer has closed the connection: a read reaches the end of the stream or
     * a reset. Throws when the peer sends bytes instead.
     */
    boolean isClosedByPeer() throws IOException {
        try {
            int b = in.read();
            if (b >= 0) {
                throw new IOException("unexpected byte after the response: " + b);
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private void copyFixed(long length, BodySink sink) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long remaining = length;
        while (remaining > 0) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
            if (read < 0) {
                throw new EOFException(remaining + " of " + length + " body bytes missing");
            }
            sink.write(buffer, 0, read);
            remaining -= read;
        }
    }

    private void copyChunked(BodySink sink) throws IOException {
        while (true) {
            String sizeLine = readLine();
            int extension = sizeLine.indexOf(';');
            String size = extension < 0 ? sizeLine : sizeLine.substring(0, extension);
            long length = Long.parseLong(size.trim(), 16);
            if (length == 0) {
                while (!readLine().isEmpty()) {
                    // Trailer fields carry nothing that these tests check.
                }
                return;
            }
            copyFixed(length, sink);
            if (!readLine().isEmpty()) {
                throw new IOException("chunk data not followed by CRLF");
            }
        }
    }

    private void copyToEnd(BodySink sink) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        int read;
        while ((read = in.read(buffer)) >= 0) {
            sink.write(buffer, 0, read);
        }
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed inside a line: " + line);
            }
            if (b == '\n' && line.length() > 0 && line.charAt(line.length() - 1) == '\r') {
                return line.substring(0, line.length() - 1);
            }
            line.append((char) b);
        }
    }

    /** A destination for body bytes, so that large bodies are checked without being held. */
    @FunctionalInterface
    interface BodySink {
        void write(byte[] bytes, int offset, int length) throws IOException;
    }
}
