package io.tqserver.proxy;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A client socket to the proxy on 127.0.0.1 that writes requests as raw bytes and parses the
 * responses by their framing. Every read gives up after {@link #READ_TIMEOUT_MS}.
 */
final class ClientConnection implements AutoCloseable {

    static final int READ_TIMEOUT_MS = 5_000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private ClientConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static ClientConnection open(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MS);
        socket.setSoTimeout(READ_TIMEOUT_MS);
        socket.setTcpNoDelay(true);
        return new ClientConnection(socket);
    }

    /** Sends {@code text} as ISO-8859-1 bytes, exactly as written. */
    void send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Shuts the socket's output, sending FIN while the input stays open. */
    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** Sets how long each following read waits, in milliseconds. */
    void setReadTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    /** Returns whether bytes from the proxy are waiting to be read. */
    boolean hasInput() throws IOException {
        return in.available() > 0;
    }

    OutputStream output() {
        return out;
    }

    InputStream input() {
        return in;
    }

    /** Reads a response to a request whose method is not HEAD. */
    RawResponse readResponse() throws IOException {
        return readResponse(false);
    }

    /** Reads a response to a HEAD request, which has no body whatever its headers say. */
    RawResponse readHeadResponse() throws IOException {
        return readResponse(true);
    }

    private RawResponse readResponse(boolean head) throws IOException {
        String text = HttpWire.readHead(in);
        if (text == null) {
            throw new IOException("connection closed before a response");
        }
        String statusLine = HttpWire.startLine(text);
        Map<String, List<String>> headers = HttpWire.parseHeaders(text);
        RawResponse bodyless = new RawResponse(statusLine, headers, new byte[0]);
        int status = bodyless.status();
        if (head || status < 200 || status == 204 || status == 304) {
            return bodyless;
        }
        return new RawResponse(statusLine, headers, readBody(bodyless));
    }

    private byte[] readBody(RawResponse response) throws IOException {
        if (response.isChunked()) {
            return HttpWire.readChunked(in);
        }
        String length = response.header("Content-Length");
        if (length != null) {
            return HttpWire.readFixed(in, Long.parseLong(length));
        }
        return HttpWire.readToEnd(in);
    }

    /**
     * Returns whether the proxy has closed the connection: a read sees the end of the stream or a
     * reset within the read timeout. Fails when the proxy sends more bytes instead.
     */
    boolean isClosedByPeer() throws IOException {
        try {
            int b = in.read();
            if (b >= 0) {
                throw new IOException("unexpected byte after the response: " + b);
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
