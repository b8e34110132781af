package io.tqserver.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real {@code tqserver} process started through {@code server/bin/tqserver} in a folder of
 * its own, for end-to-end tests. {@link DaemonFolder} lays out the folder (configuration and
 * workers) and launches the daemon; this class waits for it, reads its output, signals it and
 * checks that it leaves no worker behind.
 *
 * <p>The launcher's stdout and stderr go to {@code tqserver.out} and {@code tqserver.err} in the
 * folder. Every wait is bounded; a wait that runs out fails with the output so far.
 */
final class RunningDaemon implements AutoCloseable {

    /** Time a start may take: the daemon compiles every worker before it logs ready. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** Time allowed for a log line to appear once its cause has happened. */
    static final Duration LOG_TIMEOUT = Duration.ofSeconds(30);
    /** Time a graceful stop may take, above the default 30 s write timeout it waits for. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(45);
    /** Time workers get to exit after their daemon has exited. */
    static final Duration ORPHAN_TIMEOUT = Duration.ofSeconds(10);

    private static final Pattern READY = Pattern.compile("tqserver ready port=(\\d+)");
    private static final long POLL_MILLIS = 20;

    private final Process process;
    private final Path folder;
    private final Path stdout;
    private final Path stderr;
    private final int port;
    private final int portRangeStart;
    private final int portRangeEnd;

    RunningDaemon(Process process, Path folder, Path stdout, Path stderr, int port,
            int portRangeStart, int portRangeEnd) {
        this.process = process;
        this.folder = folder;
        this.stdout = stdout;
        this.stderr = stderr;
        this.port = port;
        this.portRangeStart = portRangeStart;
        this.portRangeEnd = portRangeEnd;
    }

    /** Returns the front port written in the configuration. */
    int port() {
        return port;
    }

    /** Returns the pid of the daemon's JVM; the launcher execs it, so it is the same process. */
    long pid() {
        return process.pid();
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    int portRangeStart() {
        return portRangeStart;
    }

    int portRangeEnd() {
        return portRangeEnd;
    }

    /** Returns the daemon's working directory. */
    Path folder() {
        return folder;
    }

    /**
     * Returns everything the daemon wrote to stderr so far: its console log, and the one-line
     * reasons it gives before exiting with status 1 or 2.
     */
    String log() {
        return readQuietly(stderr);
    }

    /** Returns everything the daemon wrote to stdout so far, such as its help text. */
    String stdout() {
        return readQuietly(stdout);
    }

    /**
     * Waits until the daemon logs {@code tqserver ready}, which it does once every worker's
     * first instance is ready or has failed.
     *
     * @throws AssertionError when the daemon exits first or the wait times out
     */
    RunningDaemon awaitReady() {
        awaitLog(READY, START_TIMEOUT);
        return this;
    }

    /** Waits up to {@link #LOG_TIMEOUT} for {@code pattern} in the log. */
    MatchResult awaitLog(Pattern pattern) {
        return awaitLog(pattern, LOG_TIMEOUT);
    }

    /**
     * Waits until {@code pattern} occurs in the log and returns its first match.
     *
     * @throws AssertionError when the daemon exits without printing it or the wait times out
     */
    MatchResult awaitLog(Pattern pattern, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean exited = !process.isAlive();
            Matcher matcher = pattern.matcher(log());
            if (matcher.find()) {
                return matcher.toMatchResult();
            }
            if (exited) {
                throw failure("tqserver exited with status " + process.exitValue()
                        + " before logging /" + pattern + "/");
            }
            if (System.nanoTime() - deadline > 0) {
                throw failure("no /" + pattern + "/ in the log after " + timeout.toMillis()
                        + " ms");
            }
            sleep(POLL_MILLIS);
        }
    }

    /**
     * Waits until the log contains at least {@code count} matches of {@code pattern} and returns
     * them in order.
     */
    List<MatchResult> awaitLogCount(Pattern pattern, int count) {
        long deadline = System.nanoTime() + LOG_TIMEOUT.toNanos();
        while (true) {
            List<MatchResult> matches = pattern.matcher(log()).results().toList();
            if (matches.size() >= count) {
                return matches;
            }
            if (!process.isAlive() || System.nanoTime() - deadline > 0) {
                throw failure("expected " + count + " matches of /" + pattern + "/, found "
                        + matches.size());
            }
            sleep(POLL_MILLIS);
        }
    }

    /** Returns the matches of {@code pattern} in the log so far, in order. */
    List<MatchResult> logMatches(Pattern pattern) {
        return pattern.matcher(log()).results().toList();
    }

    /**
     * Returns the text of the log file of worker {@code name} under {@code logs/}, where the
     * default {@code logging.log_file} of a worker puts it, or "" when there is none yet.
     */
    String workerLog(String name) throws IOException {
        Path logs = folder.resolve("logs");
        if (!Files.isDirectory(logs)) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        try (DirectoryStream<Path> files =
                Files.newDirectoryStream(logs, "worker_" + name + "_*.log")) {
            for (Path file : files) {
                text.append(readQuietly(file));
            }
        }
        return text.toString();
    }

    /** Waits until the log of worker {@code name} contains {@code text}. */
    void awaitWorkerLog(String name, String text) throws IOException {
        long deadline = System.nanoTime() + LOG_TIMEOUT.toNanos();
        while (!workerLog(name).contains(text)) {
            if (System.nanoTime() - deadline > 0) {
                throw failure("no '" + text + "' in the log of worker " + name);
            }
            sleep(POLL_MILLIS);
        }
    }

    /** Returns the running worker processes of this daemon, re-parented ones included. */
    List<Long> workerPids() throws IOException {
        return ProcessTable.processesWithEnvironment("TQSERVER_PID", Long.toString(pid()));
    }

    /**
     * Waits up to {@link #LOG_TIMEOUT} until the daemon has exactly {@code count} worker
     * processes and returns their pids. Standby JVMs start after the daemon logs ready, so a
     * count taken at once may miss them.
     *
     * @throws AssertionError when the count stays different
     */
    List<Long> awaitWorkerPids(int count) throws IOException {
        long deadline = System.nanoTime() + LOG_TIMEOUT.toNanos();
        List<Long> pids = workerPids();
        while (pids.size() != count) {
            if (System.nanoTime() - deadline > 0) {
                throw failure("expected " + count + " worker processes, found " + pids);
            }
            sleep(POLL_MILLIS);
            pids = workerPids();
        }
        return pids;
    }

    /**
     * Waits up to {@code timeout} for the daemon to exit.
     *
     * @return the exit status, or empty when the daemon still runs
     */
    Optional<Integer> awaitExit(Duration timeout) throws InterruptedException {
        if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return Optional.of(process.exitValue());
        }
        return Optional.empty();
    }

    /** Sends SIGTERM to the daemon without waiting for it to exit. */
    void terminate() {
        process.destroy();
    }

    /**
     * Sends SIGTERM and waits for the daemon to exit.
     *
     * @return the exit status
     * @throws AssertionError when it still runs after {@link #STOP_TIMEOUT}
     */
    int stop() throws InterruptedException {
        process.destroy();
        return awaitExit(STOP_TIMEOUT).orElseThrow(() -> failure(
                "tqserver still running " + STOP_TIMEOUT.toSeconds() + " s after SIGTERM"));
    }

    /** Sends SIGKILL to the daemon and waits until it has exited. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Waits up to {@code timeout} for every worker of this daemon to exit and returns those
     * still running then, so an empty list means no orphan was left.
     */
    List<Long> awaitWorkersGone(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Long> remaining = workerPids();
        while (!remaining.isEmpty() && System.nanoTime() - deadline < 0) {
            sleep(POLL_MILLIS);
            remaining = workerPids();
        }
        return remaining;
    }

    /**
     * Stops the daemon if it still runs (SIGTERM, then SIGKILL when it outlives
     * {@link #STOP_TIMEOUT}) and checks that none of its workers outlives it.
     *
     * @throws AssertionError when a worker still runs {@link #ORPHAN_TIMEOUT} after the daemon
     *     exited; such workers are killed first, so no test leaves processes behind
     */
    @Override
    public void close() throws IOException, InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        List<Long> orphans = awaitWorkersGone(ORPHAN_TIMEOUT);
        if (!orphans.isEmpty()) {
            for (long orphan : orphans) {
                ProcessHandle.of(orphan).ifPresent(ProcessHandle::destroyForcibly);
            }
            throw failure("worker processes " + orphans + " outlived tqserver pid=" + pid());
        }
    }

    /** Returns an error that carries the daemon's output, to explain a failed wait. */
    AssertionError failure(String message) {
        return new AssertionError(message + "\n--- tqserver stderr (" + folder + ") ---\n"
                + tail(log()) + "\n--- tqserver stdout ---\n" + tail(stdout()));
    }

    private static String tail(String text) {
        int max = 20_000;
        return text.length() <= max ? text : "..." + text.substring(text.length() - max);
    }

    /** Reads {@code file} as UTF-8, replacing invalid bytes; "" when it does not exist yet. */
    private static String readQuietly(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for tqserver", e);
        }
    }
}
