package io.tqserver.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample {@code blog} worker on real php-fpm (Debian's {@code php8.2-fpm}), served through
 * a real {@code tqserver} over FastCGI, with the daemon's heap capped at 64 MiB.
 */
class PhpWorkerIT {

    private static final Pattern WORKER_STARTED =
            Pattern.compile("worker started worker=blog pid=(\\d+)");
    private static final Pattern WORKER_READY =
            Pattern.compile("worker ready worker=blog pid=(\\d+)");
    private static final Pattern RESTART_SCHEDULED =
            Pattern.compile("worker restart scheduled worker=blog");
    private static final int TEN_MIB = 10 << 20;

    @TempDir
    Path folder;

    @Test
    void pagesFormsAndRedirect() throws Exception {
        try (RunningDaemon daemon = blogDaemon()) {
            int port = daemon.port();

            HttpResponse index = HttpConnection.get(port, "/blog/");
            assertThat(index.status()).isEqualTo(200);
            assertThat(index.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
            assertThat(index.bodyText()).contains("<h1>Blog</h1>");

            HttpResponse posted = request(port, "POST", "/blog/comment.php",
                    "application/x-www-form-urlencoded", "text=hello".getBytes());
            assertThat(posted.status()).isEqualTo(302);
            assertThat(posted.header("Location")).isEqualTo("/blog/");
            assertThat(posted.headers().get("Set-Cookie")).containsExactly(
                    "last_comment=hello; path=/blog; HttpOnly", "commented=1; path=/blog");

            HttpResponse missing = HttpConnection.get(port, "/blog/post.php?id=9");
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.bodyText()).isEqualTo("No post with id 9\n");

            HttpResponse json = HttpConnection.get(port, "/blog/api.php");
            assertThat(json.header("Content-Type")).isEqualTo("application/json");
            assertThat(json.bodyText()).startsWith("{\"method\":\"GET\"");
        }
    }

    @Test
    void cgiVariablesOfScriptAndFrontController() throws Exception {
        try (RunningDaemon daemon = blogDaemon()) {
            int port = daemon.port();

            String withScript = HttpConnection.get(port, "/blog/index.php/a/b?x=1").bodyText();
            assertThat(withScript).contains("\"SCRIPT_NAME\":\"\\/blog\\/index.php\"");
            assertThat(withScript).contains("\"PATH_INFO\":\"\\/a\\/b\"");
            assertThat(withScript).contains("\"QUERY_STRING\":\"x=1\"");
            assertThat(withScript).contains("\"REQUEST_URI\":\"\\/blog\\/index.php\\/a\\/b?x=1\"");

            String routed = HttpConnection.get(port, "/blog/a/b").bodyText();
            assertThat(routed).contains("\"front_controller\":true");
            assertThat(routed).contains("\"SCRIPT_NAME\":\"\\/blog\\/index.php\"");
            assertThat(routed).contains("\"PATH_INFO\":null");
            assertThat(routed).contains("\"QUERY_STRING\":\"\"");
            assertThat(routed).contains("\"REQUEST_URI\":\"\\/blog\\/a\\/b\"");

            String headers = request(port, "GET", "/blog/api.php", null, null,
                    "Proxy: http://attacker.example\r\n").bodyText();
            assertThat(headers).contains("\"HTTP_PROXY\":null");
            assertThat(headers).contains("\"SERVER_NAME\":\"127.0.0.1\"");
        }
    }

    @Test
    void sourceDotfilesAndUploadsNeverServed() throws Exception {
        try (RunningDaemon daemon = blogDaemon()) {
            int port = daemon.port();

            HttpResponse dotfile = HttpConnection.get(port, "/blog/.env");
            assertThat(dotfile.status()).isEqualTo(404);
            assertThat(dotfile.bodyText()).doesNotContain("SECRET");

            HttpResponse include = HttpConnection.get(port, "/blog/lib.inc");
            assertThat(include.status()).isEqualTo(404);
            assertThat(include.bodyText()).doesNotContain("<?php");

            HttpResponse script = HttpConnection.get(port, "/blog/post.php?id=1");
            assertThat(script.bodyText()).doesNotContain("<?php");

            HttpResponse disguised = HttpConnection.get(port, "/blog/uploads/photo.jpg/x.php");
            assertThat(disguised.status()).isEqualTo(404);
            assertThat(disguised.bodyText()).doesNotContain("EXECUTED");

            HttpResponse upload = HttpConnection.get(port, "/blog/uploads/photo.jpg");
            assertThat(upload.status()).isEqualTo(200);
            assertThat(upload.header("Content-Type")).isEqualTo("image/jpeg");
            assertThat(upload.header("ETag")).isNotNull();
            assertThat(upload.bodyText()).isEqualTo("<?php echo 'EXECUTED';\n");
        }
    }

    @Test
    void stderrGoesToWorkerLogNotBody() throws Exception {
        try (RunningDaemon daemon = blogDaemon()) {
            HttpResponse posted = request(daemon.port(), "POST", "/blog/comment.php",
                    "application/x-www-form-urlencoded", "text=logged".getBytes());

            assertThat(posted.bodyText()).doesNotContain("comment received");
            daemon.awaitWorkerLog("blog", "comment received: 6 bytes");
        }
    }

    @Test
    void tenMibBodiesBothWays() throws Exception {
        try (RunningDaemon daemon = blogDaemon()) {
            int port = daemon.port();
            byte[] body = new byte[TEN_MIB];
            for (int i = 0; i < body.length; i++) {
                body[i] = (byte) (i * 31 + (i >> 12));
            }
            String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body));

            String echoed = request(port, "POST", "/blog/api.php", "application/octet-stream",
                    body).bodyText();
            assertThat(echoed).contains("\"body_bytes\":" + TEN_MIB);
            assertThat(echoed).contains("\"body_md5\":\"" + md5 + "\"");

            String chunked = chunkedPost(port, "/blog/api.php", body).bodyText();
            assertThat(chunked).contains("\"CONTENT_LENGTH\":\"" + TEN_MIB + "\"");
            assertThat(chunked).contains("\"body_md5\":\"" + md5 + "\"");

            HttpResponse download = HttpConnection.get(port, "/blog/download.php?mib=10");
            assertThat(download.status()).isEqualTo(200);
            assertThat(download.body()).hasSize(TEN_MIB);

            byte[] tooLarge = new byte[17 << 20];
            assertThat(chunkedPost(port, "/blog/api.php", tooLarge).status()).isEqualTo(413);
            assertThat(request(port, "POST", "/blog/api.php", "application/octet-stream",
                    tooLarge).status()).isEqualTo(413);
            assertThat(daemon.log()).doesNotContain("OutOfMemoryError");
        }
    }

    @Test
    void killedPhpFpmGives503UntilRestarted() throws Exception {
        // A new instance is routed to 3 s after its start at the earliest, which keeps the
        // route without an instance long enough to observe.
        try (RunningDaemon daemon = blogDaemon(DaemonFolder.at(folder)
                .setting("workers", "startup_delay_ms", 3000))) {
            int port = daemon.port();
            List<MatchResult> ready = daemon.logMatches(WORKER_READY);
            long master = Long.parseLong(ready.get(ready.size() - 1).group(1));
            int restartsBefore = daemon.logMatches(RESTART_SCHEDULED).size();

            ProcessHandle.of(master).orElseThrow().destroyForcibly();
            // The restart is scheduled after the route lost its instance, so from here on a
            // request gets 503 until the new php-fpm is ready, and never a 502.
            daemon.awaitLogCount(RESTART_SCHEDULED, restartsBefore + 1);
            List<Integer> statuses = new ArrayList<>();
            HttpResponse back = HttpConnection.get(port, "/blog/bench.php");
            for (int i = 0; i < 200 && back.status() != 200; i++) {
                statuses.add(back.status());
                assertThat(back.header("Retry-After")).isEqualTo("1");
                Thread.sleep(25);
                back = HttpConnection.get(port, "/blog/bench.php");
            }

            assertThat(statuses).as("statuses before php-fpm was back").isNotEmpty()
                    .containsOnly(503);
            assertThat(back.status()).isEqualTo(200);
            assertThat(back.bodyText()).isEqualTo("ok\n");
            assertThat(daemon.logMatches(WORKER_READY)).hasSize(ready.size() + 1);
            assertThat(ProcessTable.isRunning(master)).isFalse();
        }
    }

    @Test
    void noPhpFpmOrphanAfterDaemonKill() throws Exception {
        try (RunningDaemon daemon = blogDaemon()) {
            assertThat(HttpConnection.get(daemon.port(), "/blog/bench.php").status())
                    .isEqualTo(200);
            long master = Long.parseLong(daemon.awaitLog(WORKER_STARTED).group(1));
            // php-fpm overwrites its environment with the process title, so its processes are
            // found by the process group that the launcher made, not by TQSERVER_PID.
            assertThat(liveProcessesInGroup(master)).as("php-fpm master, children and watchdog")
                    .hasSizeGreaterThan(2);

            daemon.kill();
            long killedNanos = System.nanoTime();
            long deadline = killedNanos + Duration.ofSeconds(10).toNanos();
            List<Long> remaining = liveProcessesInGroup(master);
            while (!remaining.isEmpty() && System.nanoTime() - deadline < 0) {
                Thread.sleep(20);
                remaining = liveProcessesInGroup(master);
            }

            assertThat(remaining).as("php-fpm processes still running after the daemon got"
                    + " SIGKILL").isEmpty();
            System.out.printf("php-fpm exited %d ms after the daemon got SIGKILL%n",
                    Duration.ofNanos(System.nanoTime() - killedNanos).toMillis());
        }
    }

    private RunningDaemon blogDaemon() throws IOException {
        return blogDaemon(DaemonFolder.at(folder));
    }

    private RunningDaemon blogDaemon(DaemonFolder daemonFolder) throws IOException {
        return daemonFolder
                .sampleWorker("blog")
                .file("workers/blog/public/uploads/photo.jpg", "<?php echo 'EXECUTED';\n")
                .file("workers/blog/public/lib.inc", "<?php $password = 'hidden';\n")
                .javaOptions("-Xmx64m -XX:+ExitOnOutOfMemoryError")
                .start();
    }

    /** Returns the processes of process group {@code groupId}, without zombies. */
    private static List<Long> liveProcessesInGroup(long groupId) throws IOException {
        List<Long> members = new ArrayList<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"),
                entry -> entry.getFileName().toString().matches("[0-9]+"))) {
            for (Path process : processes) {
                String stat;
                try {
                    stat = Files.readString(process.resolve("stat"));
                } catch (IOException e) {
                    continue;
                }
                // Fields after "(command) ": state, parent, process group.
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                if (!fields[0].equals("Z") && Long.parseLong(fields[2]) == groupId) {
                    members.add(Long.parseLong(process.getFileName().toString()));
                }
            }
        }
        return members;
    }

    private static HttpResponse request(
            int port, String method, String target, String contentType, byte[] body)
            throws IOException {
        return request(port, method, target, contentType, body, "");
    }

    /** Sends one request on a new connection; {@code extraHeaders} end in CRLF each. */
    private static HttpResponse request(
            int port, String method, String target, String contentType, byte[] body,
            String extraHeaders) throws IOException {
        try (HttpConnection connection = HttpConnection.open(port)) {
            StringBuilder head = new StringBuilder()
                    .append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1:").append(port).append("\r\n")
                    .append(extraHeaders);
            if (body != null) {
                head.append("Content-Type: ").append(contentType).append("\r\n")
                        .append("Content-Length: ").append(body.length).append("\r\n");
            }
            connection.send(head.append("Connection: close\r\n\r\n").toString());
            if (body != null) {
                writeQuietly(connection.output(), body);
            }
            return connection.readResponse();
        }
    }

    /** Sends {@code body} in 64 KiB chunks without a Content-Length. */
    private static HttpResponse chunkedPost(int port, String target, byte[] body)
            throws IOException {
        try (HttpConnection connection = HttpConnection.open(port)) {
            connection.send("POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                    + "Content-Type: application/octet-stream\r\n"
                    + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
            OutputStream out = connection.output();
            try {
                for (int offset = 0; offset < body.length; offset += 65_536) {
                    int length = Math.min(65_536, body.length - offset);
                    out.write((Integer.toHexString(length) + "\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.write(body, offset, length);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException e) {
                // The proxy may answer 413 and close before the whole body is written.
            }
            return connection.readResponse();
        }
    }

    /** Writes the body, ignoring a reset from a proxy that already answered, as with 413. */
    private static void writeQuietly(OutputStream out, byte[] body) {
        try {
            out.write(body);
            out.flush();
        } catch (IOException e) {
            // The response that follows tells what the proxy made of the request.
        }
    }
}
