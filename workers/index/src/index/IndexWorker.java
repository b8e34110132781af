package index;

import io.tqserver.worker.Request;
import io.tqserver.worker.Response;
import io.tqserver.worker.WorkerRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Sample Java worker at route {@code /}: a home page, a greeting and two benchmark endpoints. */
public final class IndexWorker {

    private static final byte[] BENCH_BODY = "ok".getBytes(StandardCharsets.US_ASCII);

    /** Body of {@code /bench/1m}: 1 MiB of the letter {@code x}. */
    private static final byte[] BENCH_BODY_1M = new byte[1024 * 1024];

    static {
        Arrays.fill(BENCH_BODY_1M, (byte) 'x');
    }

    private IndexWorker() {
    }

    public static void main(String[] args) {
        WorkerRuntime runtime = WorkerRuntime.fromEnvironment();
        HomePage home = new HomePage(runtime.settings(), ProcessHandle.current().pid());
        runtime.get("/", home::serve);
        runtime.get("/hello", IndexWorker::hello);
        runtime.get("/bench", IndexWorker::bench);
        runtime.get("/bench/1m", IndexWorker::benchLarge);
        runtime.run();
    }

    /** Sends {@code Hello, <name>!} as plain text; {@code name} defaults to {@code world}. */
    private static void hello(Request request, Response response) throws IOException {
        String name = request.queryParam("name", "");
        if (name.isBlank()) {
            name = "world";
        }
        response.send("Hello, " + name + "!");
    }

    /** Sends a fixed two-byte body, for measuring the request path rather than the handler. */
    private static void bench(Request request, Response response) throws IOException {
        response.contentType("text/plain").send(BENCH_BODY);
    }

    /** Sends a fixed 1 MiB body, for measuring how fast a large response streams through. */
    private static void benchLarge(Request request, Response response) throws IOException {
        response.contentType("application/octet-stream").send(BENCH_BODY_1M);
    }
}
