package io.tqserver.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Standby JVMs of development mode against a real daemon: a swap hands the new build to the
 * pre-started JVM, a changed {@code worker.yaml} replaces it, and none outlives the daemon.
 */
@Timeout(180)
class DevStandbyIT {

    private static final Pattern STANDBY_STARTED =
            Pattern.compile("worker standby started worker=api pid=(\\d+)");
    private static final Pattern STARTED_ON_STANDBY =
            Pattern.compile("worker started on standby worker=api pid=(\\d+)");
    private static final Pattern SWAPPED =
            Pattern.compile("worker swapped worker=api pid=(\\d+) .* standby=(true|false)");
    private static final Pattern READY = Pattern.compile("worker ready worker=api pid=(\\d+)");
    private static final String SOURCE = "workers/api/src/echo/EchoWorker.java";
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path folder;

    @Test
    void swapServesNewCodeFromStandby() throws Exception {
        try (RunningDaemon daemon = startDevDaemon()) {
            long standbyPid = Long.parseLong(daemon.awaitLog(STANDBY_STARTED).group(1));

            editSource(daemon, "edit", "two");

            HttpResponse response = awaitEcho(daemon, body -> body.contains("edit=two\n"));
            assertThat(response.bodyText()).contains("pid=" + standbyPid + "\n");
            MatchResult swap = daemon.awaitLog(SWAPPED);
            assertThat(swap.group(1)).isEqualTo(Long.toString(standbyPid));
            assertThat(swap.group(2)).isEqualTo("true");
            // The next swap needs a standby of its own.
            daemon.awaitLogCount(STANDBY_STARTED, 2);
        }
    }

    @Test
    void killedDaemonLeavesNoStandby() throws Exception {
        try (RunningDaemon daemon = startDevDaemon()) {
            long standbyPid = Long.parseLong(daemon.awaitLog(STANDBY_STARTED).group(1));
            assertThat(daemon.workerPids()).contains(standbyPid);

            daemon.kill();

            List<Long> orphans = daemon.awaitWorkersGone(RunningDaemon.ORPHAN_TIMEOUT);
            assertThat(orphans).isEmpty();
            assertThat(ProcessTable.isRunning(standbyPid)).as("standby pid %d", standbyPid)
                    .isFalse();
        }
    }

    @Test
    void changedJvmOptionsReplaceStandby() throws Exception {
        try (RunningDaemon daemon = startDevDaemon()) {
            long oldStandby = Long.parseLong(daemon.awaitLog(STANDBY_STARTED).group(1));

            replaceFile(daemon.folder().resolve("workers/api/config/worker.yaml"), """
                    path: /api
                    type: java
                    runtime:
                      max_procs: 1
                      mem_limit: 64MiB
                    java:
                      jvm_options: ["-Dtqserver.test.option=changed"]
                    """);

            daemon.awaitLog(Pattern.compile("worker standby discarded, settings changed"
                    + " worker=api pid=" + oldStandby + " "));
            long instancePid = Long.parseLong(daemon.awaitLogCount(READY, 2).get(1).group(1));
            assertThat(instancePid).isNotEqualTo(oldStandby);
            assertThat(arguments(instancePid)).contains("-Dtqserver.test.option=changed");
            HttpResponse response = awaitEcho(daemon,
                    body -> body.contains("pid=" + instancePid + "\n"));
            assertThat(response.status()).isEqualTo(200);
            long newStandby = Long.parseLong(
                    daemon.awaitLogCount(STANDBY_STARTED, 2).get(1).group(1));
            assertThat(arguments(newStandby)).contains("-Dtqserver.test.option=changed");

            editSource(daemon, "edit", "three");
            awaitEcho(daemon, body -> body.contains("edit=three\n"));
            assertThat(daemon.logMatches(STARTED_ON_STANDBY))
                    .extracting(match -> match.group(1))
                    .containsExactly(Long.toString(newStandby));
        }
    }

    private RunningDaemon startDevDaemon() throws IOException {
        return DaemonFolder.at(folder)
                .testWorker("echo", "api", "/api")
                .arguments("--mode", "dev")
                .start();
    }

    /** Adds a {@code key=value} line to every echo response, saving the file as editors do. */
    private void editSource(RunningDaemon daemon, String key, String value)
            throws IOException {
        Path source = daemon.folder().resolve(SOURCE);
        String text = Files.readString(source);
        String anchor = "line(text, \"method\", request.method());";
        assertThat(text).contains(anchor);
        replaceFile(source, text.replace(anchor,
                "line(text, \"" + key + "\", \"" + value + "\");\n        " + anchor));
    }

    /** Writes a copy outside the watched {@code workers/}, then renames it over {@code file}. */
    private void replaceFile(Path file, String content) throws IOException {
        Path copy = Files.createTempFile(folder, "edit", ".tmp");
        Files.writeString(copy, content);
        Files.move(copy, file, StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    /** Polls {@code GET /api/} until its body passes {@code done}. */
    private static HttpResponse awaitEcho(RunningDaemon daemon, Predicate<String> done)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + RESPONSE_TIMEOUT.toNanos();
        HttpResponse last = null;
        while (System.nanoTime() - deadline < 0) {
            last = HttpConnection.get(daemon.port(), "/api/");
            if (last.status() == 200 && done.test(last.bodyText())) {
                return last;
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        throw daemon.failure("GET /api/ did not return the expected body; last: "
                + (last == null ? "none" : last.statusLine() + "\n" + last.bodyText()));
    }

    private static List<String> arguments(long pid) {
        Optional<String[]> arguments = ProcessHandle.of(pid).flatMap(h -> h.info().arguments());
        assertThat(arguments).as("arguments of pid %d", pid).isPresent();
        return List.of(arguments.get());
    }
}
