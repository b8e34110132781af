package devworker;

import io.tqserver.worker.WorkerRuntime;

/** Worker that the development-mode tests edit: its VERSION shows in every response. */
public final class DevWorker {

    static final String VERSION = "v0";

    public static void main(String[] args) {
        WorkerRuntime runtime = WorkerRuntime.fromEnvironment();
        runtime.get("/", (request, response) -> response.contentType("text/html; charset=utf-8")
                .send("<html><body><p>" + VERSION + "</p></body></html>"));
        runtime.get("/json", (request, response) -> response.contentType("application/json")
                .send("{\"version\":\"" + VERSION + "\"}"));
        runtime.get("/text", (request, response) -> response.send(VERSION));
        runtime.get("/slow", (request, response) -> {
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            response.send(VERSION);
        });
        runtime.run();
    }
}
