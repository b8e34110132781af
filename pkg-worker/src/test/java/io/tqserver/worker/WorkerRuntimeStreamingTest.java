package io.tqserver.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Streams bodies far larger than any buffer in both directions. Each test makes one side
 * wait in the middle of the body until the other side has seen the first part, which only
 * works if neither the runtime nor the JDK server holds the whole body first.
 */
class WorkerRuntimeStreamingTest {

    private static final int MIB = 1024 * 1024;
    private static final long LARGE_BODY_BYTES = 64L * MIB;

    private WorkerRuntime runtime;

    @AfterEach
    void stopRuntime() {
        if (runtime != null) {
            runtime.stop();
        }
    }

    @Test
    void handlerReadsUploadWhileClientIsStillSending() throws Exception {
        CountDownLatch handlerSawFirstBytes = new CountDownLatch(1);
        runtime = TestWorkers.start(routes -> routes.post("/upload", (request, response) -> {
            InputStream body = request.body();
            byte[] buffer = new byte[64 * 1024];
            CRC32 crc = new CRC32();
            long total = 0;
            for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
                crc.update(buffer, 0, n);
                total += n;
                handlerSawFirstBytes.countDown();
            }
            response.send(total + " " + Long.toHexString(crc.getValue()));
        }));

        try (RawHttpConnection connection = new RawHttpConnection(runtime.port())) {
            connection.write("POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Length: " + LARGE_BODY_BYTES + "\r\n\r\n");
            CRC32 sent = new CRC32();
            byte[] chunk = pattern(MIB);
            connection.write(chunk);
            sent.update(chunk);

            assertThat(handlerSawFirstBytes.await(10, TimeUnit.SECONDS))
                    .as("handler reads before the upload is complete").isTrue();
            for (long written = MIB; written < LARGE_BODY_BYTES; written += MIB) {
                connection.write(chunk);
                sent.update(chunk);
            }
            RawHttpConnection.RawResponse response = connection.readResponse();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText())
                    .isEqualTo(LARGE_BODY_BYTES + " " + Long.toHexString(sent.getValue()));
        }
    }

    @Test
    void clientReadsDownloadWhileHandlerIsStillWriting() throws Exception {
        CountDownLatch clientSawFirstBytes = new CountDownLatch(1);
        CRC32 sent = new CRC32();
        runtime = TestWorkers.start(routes -> routes.get("/download", (request, response) -> {
            byte[] chunk = pattern(MIB);
            OutputStream out = response.contentType("application/octet-stream").outputStream();
            out.write(chunk);
            out.flush();
            sent.update(chunk);
            if (!clientSawFirstBytes.await(10, TimeUnit.SECONDS)) {
                throw new IOException("client did not receive the first MiB in time");
            }
            for (long written = MIB; written < LARGE_BODY_BYTES; written += MIB) {
                out.write(chunk);
                sent.update(chunk);
            }
        }));

        HttpResponse<InputStream> response = TestWorkers.CLIENT.send(
                HttpRequest.newBuilder(TestWorkers.uri(runtime, "/download"))
                        .timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        CRC32 received = new CRC32();
        long total = 0;
        try (InputStream body = response.body()) {
            byte[] buffer = new byte[64 * 1024];
            for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
                received.update(buffer, 0, n);
                total += n;
                if (total >= MIB) {
                    clientSawFirstBytes.countDown();
                }
            }
        }

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Transfer-Encoding")).hasValue("chunked");
        assertThat(total).isEqualTo(LARGE_BODY_BYTES);
        assertThat(received.getValue()).isEqualTo(sent.getValue());
    }

    @Test
    void wholeBodyLargerThanOneWriteArrivesIntact() throws Exception {
        byte[] body = new byte[3 * Response.MAX_WRITE_BYTES + 7];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i % 251);
        }
        runtime = TestWorkers.start(routes -> routes.get("/large", (request, response) ->
                response.send(body)));

        HttpResponse<byte[]> response = TestWorkers.CLIENT.send(
                HttpRequest.newBuilder(TestWorkers.uri(runtime, "/large")).build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValueAsLong("Content-Length"))
                .hasValue(body.length);
        assertThat(response.body()).isEqualTo(body);
    }

    @Test
    void chunkedUploadIsDecoded() throws Exception {
        runtime = TestWorkers.start(routes -> routes.post("/echo", (request, response) ->
                response.send(request.bodyAsString())));

        try (RawHttpConnection connection = new RawHttpConnection(runtime.port())) {
            connection.write("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
            RawHttpConnection.RawResponse response = connection.readResponse();

            assertThat(response.bodyText()).isEqualTo("hello world");
        }
    }

    @Test
    void failureAfterCommitTruncatesResponse() throws Exception {
        runtime = TestWorkers.start(routes -> routes.get("/broken", (request, response) -> {
            OutputStream out = response.outputStream();
            out.write(pattern(10_000));
            out.flush();
            throw new IllegalStateException("deliberate failure in a test after the commit");
        }));

        try (RawHttpConnection connection = new RawHttpConnection(runtime.port())) {
            connection.write("GET /broken HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");

            // A complete chunked body ends with a zero-size chunk; here the connection closes
            // before it, so the reader fails instead of returning a body.
            assertThatThrownBy(connection::readResponse).isInstanceOf(EOFException.class);
        }
    }

    private static byte[] pattern(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 31 + 7);
        }
        return bytes;
    }
}
