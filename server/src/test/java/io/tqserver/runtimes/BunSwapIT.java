package io.tqserver.runtimes;

import static org.assertj.core.api.Assertions.assertThat;

import io.tqserver.supervisor.SwapResult;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Swaps of Bun workers on real Bun, through the proxy and supervisor in the test's JVM. */
class BunSwapIT {

    /** Upper bound of the request loop that runs during the swaps. */
    private static final int MAX_REQUESTS = 20_000;

    @TempDir
    Path root;

    @Test
    void swapDropsNoRequests() throws Exception {
        TestLayout layout = TestLayout.create(root);
        Path source = layout.copyWorker("api").resolve("src/index.ts");
        layout.writeWorkerConfig("api", """
                path: /api
                type: bun
                bun:
                  binary: %s
                  entrypoint: src/index.ts
                """.formatted(layout.bun()));
        try (InProcessServer server = InProcessServer.start(layout)) {
            HttpProbe http = new HttpProbe(server.port());
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger failures = new AtomicInteger();
            CompletableFuture<Integer> load = CompletableFuture.supplyAsync(
                    () -> requestLoop(http, running, failures));

            for (int edit = 1; edit <= 3; edit++) {
                String greeting = "Greeting after swap " + edit;
                replaceGreeting(source, greeting);
                assertThat(server.swap("api")).isEqualTo(SwapResult.SWAPPED);
                assertThat(http.get("/api/").body()).contains(greeting);
            }
            running.set(false);

            assertThat(load.join()).as("requests sent").isPositive();
            assertThat(failures.get()).as("failed requests").isZero();
        }
    }

    @Test
    void installRunsOnlyWhenDependenciesChange() throws Exception {
        TestLayout layout = TestLayout.create(root);
        Path worker = layout.worker("deps");
        writeDependencyWorker(worker);
        layout.writeWorkerConfig("deps", """
                path: /deps
                type: bun
                bun:
                  binary: %s
                """.formatted(layout.bun()));
        Path stamp = worker.resolve("bin/bun-install.sha256");
        try (InProcessServer server = InProcessServer.start(layout)) {
            HttpProbe http = new HttpProbe(server.port());
            assertThat(http.get("/deps/").body()).isEqualTo("hello v1");
            assertThat(worker.resolve("node_modules/greeting")).isDirectory();
            String firstStamp = Files.readString(stamp);
            FileTime firstStampTime = Files.getLastModifiedTime(stamp);

            Files.writeString(worker.resolve("index.ts"), indexSource("v2"));
            assertThat(server.swap("deps")).isEqualTo(SwapResult.SWAPPED);
            assertThat(http.get("/deps/").body()).isEqualTo("hello v2");
            assertThat(Files.getLastModifiedTime(stamp)).as("stamp after a source change")
                    .isEqualTo(firstStampTime);

            writeModule(worker.resolve("vendor/farewell"), "farewell", "bye");
            Files.writeString(worker.resolve("package.json"), packageJson(
                    "\"greeting\": \"file:./vendor/greeting\","
                    + " \"farewell\": \"file:./vendor/farewell\""));
            assertThat(server.swap("deps")).isEqualTo(SwapResult.SWAPPED);
            assertThat(worker.resolve("node_modules/farewell")).isDirectory();
            assertThat(Files.readString(stamp)).as("stamp after a package.json change")
                    .isNotEqualTo(firstStamp);
        }
    }

    /** Sends GET /api/bench until stopped or {@link #MAX_REQUESTS}, counting failures. */
    private static int requestLoop(HttpProbe http, AtomicBoolean running, AtomicInteger failures) {
        int sent = 0;
        while (running.get() && sent < MAX_REQUESTS) {
            sent++;
            try {
                HttpResponse<String> response = http.get("/api/bench");
                if (response.statusCode() != 200) {
                    failures.incrementAndGet();
                    System.out.println("failed request: status " + response.statusCode());
                }
            } catch (IOException e) {
                failures.incrementAndGet();
                System.out.println("failed request: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return sent;
    }

    private static void replaceGreeting(Path source, String greeting) throws IOException {
        String text = Files.readString(source);
        String updated = text.replaceFirst("const GREETING = \"[^\"]*\";",
                "const GREETING = \"" + greeting + "\";");
        assertThat(updated).as("GREETING in %s", source).isNotEqualTo(text);
        Files.writeString(source, updated);
    }

    private static void writeDependencyWorker(Path worker) throws IOException {
        writeModule(worker.resolve("vendor/greeting"), "greeting", "hello");
        Files.writeString(worker.resolve("package.json"),
                packageJson("\"greeting\": \"file:./vendor/greeting\""));
        Files.writeString(worker.resolve("tsconfig.json"), """
                {"compilerOptions": {"paths": {
                  "@tqserver/worker": ["../../pkg-worker-ts/src/index.ts"]}}}
                """);
        Files.writeString(worker.resolve("index.ts"), indexSource("v1"));
    }

    private static String indexSource(String version) {
        return """
                import { serveWorker } from "@tqserver/worker";
                import greeting from "greeting";
                serveWorker({ routes: { "/": () => new Response(greeting + " %s") } });
                """.formatted(version);
    }

    private static String packageJson(String dependencies) {
        return "{\"name\": \"deps\", \"private\": true, \"dependencies\": {"
                + dependencies + "}}\n";
    }

    private static void writeModule(Path folder, String name, String value) throws IOException {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("package.json"),
                "{\"name\": \"" + name + "\", \"version\": \"1.0.0\", \"main\": \"index.js\"}\n");
        Files.writeString(folder.resolve("index.js"), "module.exports = \"" + value + "\";\n");
    }
}
