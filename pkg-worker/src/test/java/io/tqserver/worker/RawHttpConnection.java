package io.tqserver.worker;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Test client that writes HTTP/1.x bytes on one socket and parses the responses, so tests can
 * check keep-alive, HTTP/1.0 and chunked framing, which {@code HttpClient} hides.
 */
final class RawHttpConnection implements AutoCloseable {

    /** Parsed response; header names are case-insensitive. */
    record RawResponse(int status, Map<String, List<String>> headers, byte[] body) {

        String header(String name) {
            List<String> values = headers.get(name);
            return values == null ? null : values.get(0);
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawHttpConnection(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(10_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    int localPort() {
        return socket.getLocalPort();
    }

    void write(String text) throws IOException {
        write(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads one response; {@code headRequest} means that no body follows the headers. */
    RawResponse readResponse(boolean headRequest) throws IOException {
        String statusLine = readLine();
        if (statusLine == null) {
            throw new IOException("connection closed before a response");
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String line = readLine(); line != null && !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            headers.computeIfAbsent(line.substring(0, colon).trim(), key -> new ArrayList<>())
                    .add(line.substring(colon + 1).trim());
        }
        RawResponse head = new RawResponse(status, headers, new byte[0]);
        if (headRequest || status == 204 || status == 304) {
            return head;
        }
        return new RawResponse(status, headers, readBody(head));
    }

    RawResponse readResponse() throws IOException {
        return readResponse(false);
    }

    /** Returns whether the server closed the connection within {@code timeoutMillis}. */
    boolean isClosedByServer(int timeoutMillis) throws IOException {
        int previous = socket.getSoTimeout();
        socket.setSoTimeout(timeoutMillis);
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            // A reset also means closed.
            return true;
        } finally {
            socket.setSoTimeout(previous);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private byte[] readBody(RawResponse head) throws IOException {
        String length = head.header("Content-Length");
        if (length != null) {
            return in.readNBytes(Integer.parseInt(length));
        }
        if ("chunked".equalsIgnoreCase(head.header("Transfer-Encoding"))) {
            return readChunked();
        }
        return in.readAllBytes();
    }

    private byte[] readChunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine();
            if (sizeLine == null) {
                throw new EOFException("connection closed before the last chunk");
            }
            int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
            if (size == 0) {
                readLine();
                return body.toByteArray();
            }
            byte[] chunk = in.readNBytes(size);
            if (chunk.length < size) {
                throw new EOFException("connection closed inside a chunk");
            }
            body.write(chunk);
            readLine();
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }
}
