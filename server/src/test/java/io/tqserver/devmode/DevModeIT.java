package io.tqserver.devmode;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Development mode end to end: a real daemon, real worker JVMs and real file edits. */
@Timeout(180)
class DevModeIT {

    private static final Pattern READY_PID = Pattern.compile("worker ready worker=app pid=(\\d+)");

    @TempDir
    Path home;

    @Test
    void brokenEditShowsErrorWhileOldProcessRuns() throws Exception {
        try (DevDaemon daemon = DevDaemon.start(home, "dev")) {
            long oldPid = readyPid(daemon);
            String source = Files.readString(daemon.workerSource());
            daemon.saveSource(source.replace("static final String VERSION",
                    "static final Strin VERSION"));

            HttpResponse<String> text = daemon.awaitResponse("/text", r -> r.statusCode() == 500);
            assertThat(text.body()).contains("DevWorker.java:8:");
            assertThat(text.body()).contains("error:");
            HttpResponse<String> html = daemon.get("/", "text/html");
            assertThat(html.statusCode()).isEqualTo(500);
            assertThat(html.headers().firstValue("content-type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/html"));
            assertThat(html.body()).contains("DevWorker.java:8:", "Strin", "/_tqserver/events");
            assertThat(ProcessHandle.of(oldPid).map(ProcessHandle::isAlive)).hasValue(true);

            daemon.saveSource(source.replace("\"v0\"", "\"fixed\""));
            daemon.awaitResponse("/text", r -> r.statusCode() == 200 && r.body().equals("fixed"));
        }
    }

    @Test
    void eventStreamReportsEachSwap() throws Exception {
        try (DevDaemon daemon = DevDaemon.start(home, "dev");
                Socket events = daemon.openEvents("/")) {
            InputStream in = events.getInputStream();
            assertThat(DevDaemon.readLine(in)).isEqualTo("HTTP/1.1 200 OK");
            awaitLine(in, "retry: 500");
            for (int swap = 1; swap <= 2; swap++) {
                daemon.saveVersion("sse" + swap);
                awaitLine(in, "event: reload");
                assertThat(DevDaemon.readLine(in))
                        .contains("\"worker\":\"app\"").contains("\"reason\":\"swapped\"");
                int expected = swap;
                daemon.awaitResponse("/text", r -> r.body().equals("sse" + expected));
            }
        }
    }

    @Test
    void scriptInjectedIntoDevHtmlOnly() throws Exception {
        try (DevDaemon daemon = DevDaemon.start(home, "dev")) {
            HttpResponse<String> html = daemon.get("/", "text/html");
            assertThat(html.body()).contains("<script>").contains("/_tqserver/events");
            assertThat(html.body().indexOf("<script>")).isLessThan(html.body().indexOf("</body>"));
            assertThat(Long.parseLong(html.headers().firstValue("content-length").orElse("-1")))
                    .isEqualTo(html.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
            HttpResponse<String> json = daemon.get("/json", "application/json");
            assertThat(json.body()).isEqualTo("{\"version\":\"v0\"}");
        }
    }

    @Test
    void prodInjectsNothingAndRoutesReservedPath() throws Exception {
        try (DevDaemon daemon = DevDaemon.start(home, "prod")) {
            HttpResponse<String> html = daemon.get("/", "text/html");
            assertThat(html.statusCode()).isEqualTo(200);
            assertThat(html.body()).doesNotContain("<script>");
            HttpResponse<String> events = daemon.get("/_tqserver/events?path=/", "*/*");
            assertThat(events.statusCode()).isEqualTo(404);
            assertThat(events.headers().firstValue("content-type").orElse(""))
                    .doesNotContain("event-stream");
        }
    }

    @Test
    void workerFolderAddedAndRemovedAtRunTime() throws Exception {
        try (DevDaemon daemon = DevDaemon.start(home, "dev")) {
            Path second = home.resolve("workers/second");
            DevDaemon.copyWorker(second, "/second");

            daemon.awaitResponse("/second/json", r -> r.statusCode() == 200
                    && r.body().contains("v0"));
            daemon.awaitOutput(line -> line.contains("worker ready worker=second"),
                    Duration.ofSeconds(10));

            deleteTree(second);
            daemon.awaitOutput(line -> line.contains("worker stopped worker=second"),
                    Duration.ofSeconds(30));
            // The root worker now gets the path and has no such page.
            daemon.awaitResponse("/second/json", r -> r.statusCode() == 404);
        }
    }

    @Test
    void editedPathReroutesWorker() throws Exception {
        try (DevDaemon daemon = DevDaemon.start(home, "dev")) {
            Path second = home.resolve("workers/second");
            DevDaemon.copyWorker(second, "/second");
            daemon.awaitResponse("/second/text", r -> r.statusCode() == 200);

            Path yaml = second.resolve("config/worker.yaml");
            Files.writeString(yaml, Files.readString(yaml).replace("/second", "/moved"));
            daemon.awaitResponse("/moved/text", r -> r.statusCode() == 200
                    && r.body().equals("v0"));

            Files.writeString(yaml, "path: /moved\nruntime:\n  max_procs: -1\n");
            daemon.awaitOutput(line -> line.contains("worker configuration rejected")
                    && line.contains("max_procs"), Duration.ofSeconds(30));
            Files.writeString(yaml, "path: /moved\n");
            daemon.awaitResponse("/moved/text", r -> r.statusCode() == 200
                    && r.body().equals("v0"));
        }
    }

    private static long readyPid(DevDaemon daemon) throws InterruptedException {
        String line = daemon.awaitOutput(READY_PID.asPredicate(), Duration.ofSeconds(5));
        Matcher matcher = READY_PID.matcher(line);
        assertThat(matcher.find()).isTrue();
        return Long.parseLong(matcher.group(1));
    }

    private static void awaitLine(InputStream in, String expected) throws IOException {
        for (int read = 0; read < 100; read++) {
            String line = DevDaemon.readLine(in);
            assertThat(line).as("event stream ended before " + expected).isNotNull();
            if (line.equals(expected)) {
                return;
            }
        }
        throw new AssertionError("no line " + expected + " in the first 100 lines");
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
