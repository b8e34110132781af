package io.tqserver.proxy;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads HTTP/1.1 message parts from a socket stream byte by byte, so that tests see exactly the
 * bytes the proxy sent and no client library smooths them over.
 */
final class HttpWire {

    private static final int MAX_HEAD_BYTES = 1024 * 1024;

    private HttpWire() {
    }

    /**
     * Reads a start line and header block up to and including the empty line.
     *
     * @return the head without its final empty line, or {@code null} when the stream ends before
     *     the first byte
     * @throws EOFException when the stream ends inside the head
     */
    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                if (head.size() == 0) {
                    return null;
                }
                throw new EOFException("stream ended inside a message head: " + head);
            }
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (head.size() > MAX_HEAD_BYTES) {
                throw new IOException("message head longer than " + MAX_HEAD_BYTES + " bytes");
            }
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        return text.substring(0, text.length() - 4);
    }

    /** Returns the header fields of {@code head}, keyed case-insensitively, values in order. */
    static Map<String, List<String>> parseHeaders(String head) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        String[] lines = head.split("\r\n");
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            String name = lines[i].substring(0, colon);
            String value = lines[i].substring(colon + 1).trim();
            headers.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
        }
        return headers;
    }

    /** Returns the first line of {@code head}. */
    static String startLine(String head) {
        int end = head.indexOf("\r\n");
        return end < 0 ? head : head.substring(0, end);
    }

    /** Reads exactly {@code length} bytes. */
    static byte[] readFixed(InputStream in, long length) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        copyFixed(in, length, body::write);
        return body.toByteArray();
    }

    /** Reads a chunked body including its trailer section and returns the decoded bytes. */
    static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        copyChunked(in, body::write);
        return body.toByteArray();
    }

    /** Reads until the peer closes the connection. */
    static byte[] readToEnd(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    /** Passes exactly {@code length} bytes of {@code in} to {@code sink}. */
    static void copyFixed(InputStream in, long length, ByteSink sink) throws IOException {
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

    /**
     * Passes the decoded bytes of a chunked body to {@code sink}, consuming the trailer.
     *
     * @return the trailer section's field lines, each ending in CRLF, or an empty string
     */
    static String copyChunked(InputStream in, ByteSink sink) throws IOException {
        while (true) {
            String sizeLine = readLine(in);
            int extension = sizeLine.indexOf(';');
            String size = extension < 0 ? sizeLine : sizeLine.substring(0, extension);
            long length = Long.parseLong(size.trim(), 16);
            if (length == 0) {
                return readTrailer(in);
            }
            copyFixed(in, length, sink);
            String end = readLine(in);
            if (!end.isEmpty()) {
                throw new IOException("chunk not followed by CRLF: " + end);
            }
        }
    }

    private static String readTrailer(InputStream in) throws IOException {
        StringBuilder trailer = new StringBuilder();
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            trailer.append(line).append("\r\n");
        }
        return trailer.toString();
    }

    /** Reads one line ending in CRLF and returns it without the CRLF. */
    static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int previous = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("stream ended inside a line: " + line);
            }
            if (previous == '\r' && b == '\n') {
                return line.substring(0, line.length() - 1);
            }
            line.append((char) b);
            previous = b;
        }
    }

    /** Returns whether {@code headers} has a {@code Transfer-Encoding} ending in chunked. */
    static boolean isChunked(Map<String, List<String>> headers) {
        List<String> codings = headers.get("Transfer-Encoding");
        if (codings == null) {
            return false;
        }
        String last = codings.get(codings.size() - 1).toLowerCase(Locale.ROOT);
        return last.endsWith("chunked");
    }

    /** A destination for body bytes, so large bodies can be checked without holding them. */
    @FunctionalInterface
    interface ByteSink {
        void write(byte[] bytes, int offset, int length) throws IOException;
    }
}
