package io.tqserver.devmode;

import java.io.BufferedReader;
import io.tqserver.testing.LoopbackPorts;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A real TQServer daemon started from {@code server/target/tqserver.jar} in a temporary folder,
 * with the test worker of {@code src/test/resources/devmode-worker} as {@code workers/app}, a
 * free front port and its own range of worker ports.
 */
final class DevDaemon implements AutoCloseable {

    static final int WORKER_PORTS = 60;

    private final Path home;
    private final int port;
    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private DevDaemon(Path home, int port, Process process) {
        this.home = home;
        this.port = port;
        this.process = process;
        Thread pump = new Thread(this::pumpOutput, "daemon-output");
        pump.setDaemon(true);
        pump.start();
    }

    /** Starts a daemon in {@code mode} with the test worker and waits until it is ready. */
    static DevDaemon start(Path home, String mode) throws IOException, InterruptedException {
        copyWorker(home.resolve("workers/app"), "/");
        int port = LoopbackPorts.freePort();
        int firstWorkerPort = LoopbackPorts.freeRange(WORKER_PORTS);
        Files.createDirectories(home.resolve("config"));
        Files.writeString(home.resolve("config/server.yaml"), """
                server:
                  port: %d
                  log_file: ~
                workers:
                  port_range_start: %d
                  port_range_end: %d
                """.formatted(port, firstWorkerPort, firstWorkerPort + WORKER_PORTS - 1));
        Path jar = tqserverHome().resolve("server/target/tqserver.jar");
        if (mode.equals("prod")) {
            buildProdJars(home, jar);
        }
        ProcessBuilder builder = new ProcessBuilder(javaExecutable(), "-jar", jar.toString(),
                "--mode", mode).directory(home.toFile()).redirectErrorStream(true);
        DevDaemon daemon = new DevDaemon(home, port, builder.start());
        daemon.awaitOutput(line -> line.contains("tqserver ready"), Duration.ofSeconds(60));
        return daemon;
    }

    /** Writes the worker jars that production mode launches, as scripts/build-prod.sh does. */
    private static void buildProdJars(Path home, Path jar)
            throws IOException, InterruptedException {
        Process build = new ProcessBuilder(javaExecutable(), "-cp", jar.toString(),
                "io.tqserver.build.WorkerJarBuilder", "workers")
                .directory(home.toFile()).redirectErrorStream(true).start();
        String output = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!build.waitFor(60, TimeUnit.SECONDS) || build.exitValue() != 0) {
            throw new AssertionError("worker jar build failed: " + output);
        }
    }

    /** Copies the test worker to {@code folder}, serving {@code route}. */
    static void copyWorker(Path folder, String route) throws IOException {
        Path source = tqserverHome().resolve("server/src/test/resources/devmode-worker");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path target = folder.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Path yaml = folder.resolve("config/worker.yaml");
        Files.writeString(yaml, Files.readString(yaml).replace("path: /", "path: " + route));
    }

    Path home() {
        return home;
    }

    int port() {
        return port;
    }

    Path workerSource() {
        return home.resolve("workers/app/src/devworker/DevWorker.java");
    }

    /** Saves the worker with a new VERSION the way editors do: write a copy, rename it over. */
    void saveVersion(String version) throws IOException {
        String source = Files.readString(workerSource());
        saveSource(source.replaceFirst("VERSION = \"[^\"]*\"", "VERSION = \"" + version + "\""));
    }

    void saveSource(String source) throws IOException {
        Path temporary = workerSource().resolveSibling("DevWorker.java.tmp");
        Files.writeString(temporary, source);
        Files.move(temporary, workerSource(), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** Sends a GET over a pooled keep-alive connection. */
    HttpResponse<String> get(String path, String accept) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).header("Accept", accept).GET().build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Polls {@code path} every 20 ms until {@code done} accepts a response, for at most 30 s. */
    HttpResponse<String> awaitResponse(String path, Predicate<HttpResponse<String>> done)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        HttpResponse<String> response = null;
        while (System.nanoTime() < deadline) {
            response = get(path, "*/*");
            if (done.test(response)) {
                return response;
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        throw new AssertionError("no matching response within 30 s for " + path + "; last: "
                + (response == null ? "none" : response.statusCode() + " " + response.body()));
    }

    /** Sends a GET on a new connection that closes after the response; returns the raw reply. */
    String getOnFreshConnection(String path) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Opens the live-reload event stream for {@code pagePath}; the caller closes the socket. */
    Socket openEvents(String pagePath) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        socket.setSoTimeout(30_000);
        socket.getOutputStream().write(("GET /_tqserver/events?path=" + pagePath
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        return socket;
    }

    /** Waits until the daemon prints a line that {@code match} accepts, and returns it. */
    String awaitOutput(Predicate<String> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : output) {
                if (match.test(line)) {
                    return line;
                }
            }
            if (!process.isAlive()) {
                throw new AssertionError("daemon exited: " + String.join("\n", output));
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        throw new AssertionError("daemon output did not match within " + timeout + ":\n"
                + String.join("\n", output));
    }

    List<String> output() {
        return output;
    }

    /** Stops the daemon with SIGTERM, then SIGKILL after 20 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private void pumpOutput() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                output.add(line);
            }
        } catch (IOException e) {
            output.add("output closed: " + e);
        }
    }

    /** Reads one line of an event stream, or returns null at its end. */
    static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int next;
        while ((next = in.read()) >= 0 && next != '\n') {
            if (next != '\r') {
                line.append((char) next);
            }
        }
        return next < 0 && line.length() == 0 ? null : line.toString();
    }

    static Path tqserverHome() {
        String home = System.getProperty("tqserver.home");
        return Path.of(home == null ? ".." : home).toAbsolutePath().normalize();
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
