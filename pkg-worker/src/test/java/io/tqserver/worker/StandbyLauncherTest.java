package io.tqserver.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@link StandbyLauncher} as a real JVM, as TQServer starts it in development mode. */
@Timeout(120)
class StandbyLauncherTest {

    private static final long WAIT_SECONDS = 30;

    private static final String WORKER_SOURCE = """
            package demo;

            import io.tqserver.worker.WorkerRuntime;

            public final class HelloWorker {
                public static void main(String[] args) {
                    WorkerRuntime runtime = WorkerRuntime.fromEnvironment();
                    runtime.get("/", (request, response) -> response.send("hello from "
                            + HelloWorker.class.getClassLoader().getName()));
                    runtime.run();
                }
            }
            """;

    @TempDir
    Path folder;

    private final List<Process> started = new CopyOnWriteArrayList<>();
    private final List<String> output = new CopyOnWriteArrayList<>();

    @AfterEach
    void killStarted() throws InterruptedException {
        for (Process process : started) {
            process.destroyForcibly();
            process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }

    @Test
    void handoffRunsWorkerInOwnLoader() throws Exception {
        Path classes = compileWorker();
        int port = freePort();
        Process standby = startStandby(port, ProcessHandle.current().pid());
        awaitOutput("standby ready");

        handOff(standby, "demo.HelloWorker " + classes);

        HttpResponse<String> response = awaitGet(port);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("hello from worker");
        standby.destroy();
        assertThat(standby.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).as("exited").isTrue();
        assertThat(standby.exitValue()).isZero();
    }

    @Test
    void closedStdinDiscardsStandby() throws Exception {
        Process standby = startStandby(freePort(), ProcessHandle.current().pid());

        standby.getOutputStream().close();

        assertThat(standby.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).as("exited").isTrue();
        assertThat(standby.exitValue()).isZero();
        assertThat(output).anyMatch(line -> line.contains("standby discarded"));
    }

    @Test
    void sigtermStopsWaitingStandby() throws Exception {
        Process standby = startStandby(freePort(), ProcessHandle.current().pid());
        awaitOutput("standby ready");

        standby.destroy();

        assertThat(standby.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).as("exited").isTrue();
        // 0 rather than 143 shows that the launcher's SIGTERM handler ran.
        assertThat(standby.exitValue()).isZero();
    }

    @Test
    void parentExitStopsWaitingStandby() throws Exception {
        Process parent = start(List.of("sleep", "120"));
        Process standby = startStandby(freePort(), parent.pid());
        awaitOutput("standby ready");

        parent.destroyForcibly();

        // stdin stays open here, so only the parent watch can end the standby.
        assertThat(standby.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).as("exited").isTrue();
        assertThat(standby.exitValue()).isEqualTo(WorkerRuntime.EXIT_PARENT_GONE);
    }

    @Test
    void invalidHandoffExitsWithStatus2() throws Exception {
        Process standby = startStandby(freePort(), ProcessHandle.current().pid());

        handOff(standby, "demo.Missing " + folder.resolve("empty"));

        assertThat(standby.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).as("exited").isTrue();
        assertThat(standby.exitValue()).isEqualTo(StandbyLauncher.EXIT_INVALID_HANDOFF);
    }

    @Test
    void handoffParsesClassThenFolder() {
        StandbyLauncher.Handoff handoff =
                StandbyLauncher.Handoff.parse("app.Main /w/my classes/classes-2");

        assertThat(handoff.mainClass()).isEqualTo("app.Main");
        assertThat(handoff.classesFolder()).isEqualTo(Path.of("/w/my classes/classes-2"));
        assertThat(StandbyLauncher.Handoff.parse("app.Main")).isNull();
        assertThat(StandbyLauncher.Handoff.parse(" /w")).isNull();
    }

    private Path compileWorker() throws IOException {
        Path source = folder.resolve("src/demo/HelloWorker.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, WORKER_SOURCE);
        Path classes = folder.resolve("classes");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int status = javac.run(null, null, null, "-cp", System.getProperty("java.class.path"),
                "-d", classes.toString(), source.toString());
        assertThat(status).as("javac status").isZero();
        return classes;
    }

    private Process startStandby(int port, long parentPid) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(java.toString(),
                "-cp", System.getProperty("java.class.path"), StandbyLauncher.class.getName());
        builder.environment().put("WORKER_PORT", Integer.toString(port));
        builder.environment().put("WORKER_NAME", "standby-test");
        builder.environment().put("TQSERVER_PID", Long.toString(parentPid));
        return start(builder);
    }

    private Process start(List<String> command) throws IOException {
        return start(new ProcessBuilder(command));
    }

    private Process start(ProcessBuilder builder) throws IOException {
        builder.redirectErrorStream(true);
        Process process = builder.start();
        started.add(process);
        Thread reader = new Thread(() -> copyOutput(process), "standby-output");
        reader.setDaemon(true);
        reader.start();
        return process;
    }

    private void copyOutput(Process process) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(
                process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                output.add(line);
            }
        } catch (IOException e) {
            output.add("output closed: " + e);
        }
    }

    private void awaitOutput(String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (output.stream().noneMatch(line -> line.contains(text))) {
            assertThat(System.nanoTime() - deadline).as("waiting for '%s' in %s", text, output)
                    .isNegative();
            Thread.sleep(20);
        }
    }

    private static void handOff(Process standby, String line) throws IOException {
        try (OutputStream stdin = standby.getOutputStream()) {
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    private HttpResponse<String> awaitGet(int port) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (true) {
            try {
                return TestWorkers.CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                assertThat(System.nanoTime() - deadline)
                        .as("waiting for the worker on port %d: %s; output %s", port, e, output)
                        .isNegative();
                Thread.sleep(20);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
