package index;

import io.tqserver.worker.Request;
import io.tqserver.worker.Response;
import io.tqserver.worker.WorkerRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Sample Java worker at route {@code /}: a home page, a greeting and a benchmark endpoint. */
public final class IndexWorker {

    private static final byte[] BENCH_BODY = "ok".getBytes(StandardCharsets.US_ASCII);

    private IndexWorker() {
    }

    public static void main(String[] args) {
        WorkerRuntime runtime = WorkerRuntime.fromEnvironment();
        HomePage home = new HomePage(runtime.settings(), ProcessHandle.current().pid());
        runtime.get("/", home::serve);
        runtime.get("/hello", IndexWorker::hello);
        runtime.get("/bench", IndexWorker::bench);
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
}
