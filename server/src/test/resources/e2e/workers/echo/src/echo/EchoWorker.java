package echo;

import io.tqserver.worker.Request;
import io.tqserver.worker.Response;
import io.tqserver.worker.WorkerRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * Test worker for the end-to-end tests. Every path returns a description of the request as
 * {@code key=value} lines, and a few paths stream large bodies or respond slowly.
 */
public final class EchoWorker {

    /** Period of the byte pattern that {@code /download} sends: byte {@code i} is i % 251. */
    private static final int PATTERN_PERIOD = 251;

    private EchoWorker() {
    }

    public static void main(String[] args) {
        WorkerRuntime runtime = WorkerRuntime.fromEnvironment();
        for (String method : List.of("GET", "POST", "PUT", "DELETE")) {
            runtime.route(method, "/*", EchoWorker::echo);
        }
        runtime.post("/upload", EchoWorker::upload);
        runtime.get("/download", EchoWorker::download);
        runtime.get("/slow", EchoWorker::slow);
        runtime.run();
    }

    /**
     * Sends the worker name, pid, method, raw path and query, the proxy's port on this
     * connection and every header, one {@code key=value} line each. Header names are in lower
     * case, as {@code header.x-forwarded-for=...}.
     */
    private static void echo(Request request, Response response) throws IOException {
        StringBuilder text = new StringBuilder();
        line(text, "worker", System.getenv("WORKER_NAME"));
        line(text, "pid", Long.toString(ProcessHandle.current().pid()));
        line(text, "method", request.method());
        line(text, "path", request.path());
        line(text, "query", request.rawQuery() == null ? "" : request.rawQuery());
        line(text, "remote_port", Integer.toString(request.remoteAddress().getPort()));
        Map<String, List<String>> sorted = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        sorted.putAll(request.headers());
        for (Map.Entry<String, List<String>> header : sorted.entrySet()) {
            for (String value : header.getValue()) {
                line(text, "header." + header.getKey().toLowerCase(), value);
            }
        }
        response.send(text.toString());
    }

    /** Reads the body as a stream and sends its length and CRC-32 in hex. */
    private static void upload(Request request, Response response) throws IOException {
        CRC32 crc = new CRC32();
        long length = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream body = request.body()) {
            int read;
            while ((read = body.read(buffer)) >= 0) {
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
                remaining -= size;
            }
        }
    }

    /** Sleeps {@code ms} milliseconds between two lines in the worker log, then sends "slept". */
    private static void slow(Request request, Response response) throws Exception {
        long millis = Long.parseLong(request.queryParam("ms", "2000"));
        System.out.println("slow request started ms=" + millis);
        System.out.flush();
        Thread.sleep(millis);
        System.out.println("slow request finished ms=" + millis);
        System.out.flush();
        response.send("slept");
    }

    private static void line(StringBuilder text, String key, String value) {
        text.append(key).append('=').append(value).append('\n');
    }
}
