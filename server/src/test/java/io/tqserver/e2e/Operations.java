package io.tqserver.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What an operator does to a running daemon: signals, control requests, builds, deploys. */
final class Operations {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);

    private Operations() {
    }

    /** Sends SIGHUP to {@code pid} with {@code kill}, since the JDK can only send TERM and KILL. */
    static void sendHangup(long pid) throws IOException, InterruptedException {
        Result result = run(Path.of("."), "kill", "-HUP", Long.toString(pid));
        if (result.status() != 0) {
            throw new AssertionError("kill -HUP " + pid + " failed: " + result.output());
        }
    }

    /** Sends {@code method path} to the control endpoint and returns status and body. */
    static Result control(int controlPort, String method, String path)
            throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + controlPort + path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(COMMAND_TIMEOUT)
                .build();
        var response = client.send(request, BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Result(response.statusCode(), response.body());
    }

    /** Builds {@code workers/{name}/bin/{name}.jar} in {@code folder} with the production tool. */
    static void buildJars(Path folder, String... workers) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "-cp",
                TqServerHome.root().resolve("server/target/tqserver.jar").toString(),
                "io.tqserver.build.WorkerJarBuilder", "workers"));
        command.addAll(List.of(workers));
        Result result = run(folder, command.toArray(String[]::new));
        if (result.status() != 0) {
            throw new AssertionError("WorkerJarBuilder failed: " + result.output());
        }
    }

    /** Runs {@code scripts/deploy.sh --source source ARGS...}. */
    static Result deploy(Path source, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                TqServerHome.root().resolve("scripts/deploy.sh").toString(),
                "--source", source.toString()));
        command.addAll(List.of(arguments));
        return run(source, command.toArray(String[]::new));
    }

    static String javaExecutable() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** Runs a command with stdout and stderr merged, bounded by {@link #COMMAND_TIMEOUT}. */
    static Result run(Path folder, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(folder.toFile())
                .redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " timed out");
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    /** Exit status or HTTP status, with the output or body. */
    record Result(int status, String output) {
    }
}
