package bulk;

import io.tqserver.worker.Request;
import io.tqserver.worker.Response;
import io.tqserver.worker.WorkerRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

/**
 * Test worker for transfers of any size. It streams bodies in both directions from one small
 * buffer and counts the bytes its downloads have written so far, so a test can see that a
 * worker whose client stops reading stops writing too.
 */
public final class BulkWorker {

    /** Period of the byte pattern that {@code /download} sends: byte {@code i} is i % 251. */
    private static final int PATTERN_PERIOD = 251;

    /** Bytes written by every {@code /download} since start, counted after each write returns. */
    private static final AtomicLong downloadedBytes = new AtomicLong();

    private BulkWorker() {
    }

    public static void main(String[] args) {
        WorkerRuntime runtime = WorkerRuntime.fromEnvironment();
        runtime.post("/upload", BulkWorker::upload);
        runtime.get("/download", BulkWorker::download);
        runtime.get("/downloaded", BulkWorker::downloaded);
        runtime.run();
    }

    /** Reads the body as a stream and sends its length and CRC-32 in hex. */
    private static void upload(Request request, Response response) throws IOException {
        CRC32 crc = new CRC32();
        long length = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream body = request.body()) {
            for (int read = body.read(buffer); read >= 0; read = body.read(buffer)) {
                crc.update(buffer, 0, read);
                length += read;
            }
        }
        response.send("length=" + length + "\ncrc=" + Long.toHexString(crc.getValue()) + "\n");
    }

    /** Streams {@code bytes} bytes of the pattern in a chunked body. */
    private static void download(Request request, Response response) throws IOException {
        long remaining = Long.parseLong(request.queryParam("bytes", "0"));
        byte[] block = new byte[PATTERN_PERIOD * 256];
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) (i % PATTERN_PERIOD);
        }
        response.contentType("application/octet-stream");
        try (OutputStream body = response.outputStream()) {
            while (remaining > 0) {
                int size = (int) Math.min(block.length, remaining);
                body.write(block, 0, size);
                downloadedBytes.addAndGet(size);
                remaining -= size;
            }
        }
    }

    /** Sends the count of bytes that downloads have written, as {@code downloaded=N}. */
    private static void downloaded(Request request, Response response) throws IOException {
        response.send("downloaded=" + downloadedBytes.get() + "\n");
    }
}
