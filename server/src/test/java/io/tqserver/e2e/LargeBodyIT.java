package io.tqserver.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tqserver.testing.PatternBytes;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bodies of 100 MiB each way through a daemon whose heap is capped at 64 MiB, so the proxy
 * passes only if it streams. The test generates and checks every body as a stream too.
 */
class LargeBodyIT {

    private static final long BODY_BYTES = 100L * 1024 * 1024;
    private static final String HEAP_CAP = "-Xmx64m";

    @TempDir
    static Path folder;

    private static RunningDaemon daemon;

    @BeforeAll
    static void startDaemon() throws Exception {
        daemon = DaemonFolder.at(folder)
                .testWorker("echo", "echo", "/")
                .javaOptions(HEAP_CAP + " -XX:+ExitOnOutOfMemoryError")
                .start();
    }

    @AfterAll
    static void stopDaemon() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void daemonRunsWithCappedHeap() {
        List<String> arguments = List.of(daemon.handle().info().arguments().orElseThrow());

        assertThat(arguments).contains(HEAP_CAP);
    }

    @Test
    void streamsLargeRequestBody() throws Exception {
        try (HttpConnection connection = HttpConnection.open(daemon.port())) {
            connection.send("POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/octet-stream\r\n"
                    + "Content-Length: " + BODY_BYTES + "\r\n\r\n");
            PatternBytes.write(connection.output(), BODY_BYTES);
            connection.output().flush();
            HttpResponse response = connection.readResponse();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.echoed().value("length")).isEqualTo(Long.toString(BODY_BYTES));
            assertThat(response.echoed().value("crc"))
                    .isEqualTo(Long.toHexString(PatternBytes.crc(BODY_BYTES)));
        }
        assertThat(daemon.handle().isAlive()).isTrue();
    }

    @Test
    void streamsLargeChunkedRequestBody() throws Exception {
        try (HttpConnection connection = HttpConnection.open(daemon.port())) {
            connection.send("POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n");
            try (OutputStream chunked = new ChunkedOutputStream(connection.output())) {
                PatternBytes.write(chunked, BODY_BYTES);
            }
            HttpResponse response = connection.readResponse();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.echoed().value("length")).isEqualTo(Long.toString(BODY_BYTES));
            assertThat(response.echoed().value("crc"))
                    .isEqualTo(Long.toHexString(PatternBytes.crc(BODY_BYTES)));
        }
    }

    @Test
    void streamsLargeResponseBody() throws Exception {
        CRC32 crc = new CRC32();
        long[] length = {0};
        try (HttpConnection connection = HttpConnection.open(daemon.port())) {
            connection.send("GET /download?bytes=" + BODY_BYTES + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\n\r\n");
            HttpResponse head = connection.readHead();
            assertThat(head.status()).isEqualTo(200);
            connection.readBody(head, (bytes, offset, count) -> {
                crc.update(bytes, offset, count);
                length[0] += count;
            });
        }

        assertThat(length[0]).isEqualTo(BODY_BYTES);
        assertThat(crc.getValue()).isEqualTo(PatternBytes.crc(BODY_BYTES));
        assertThat(daemon.handle().isAlive()).isTrue();
    }

    /**
     * Writes each write as one HTTP/1.1 chunk and the last chunk on close, leaving the
     * underlying stream open.
     */
    private static final class ChunkedOutputStream extends FilterOutputStream {

        ChunkedOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (length == 0) {
                return;
            }
            out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes, offset, length);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void close() throws IOException {
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
    }
}
