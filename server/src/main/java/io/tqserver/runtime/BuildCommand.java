package io.tqserver.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One run of a build step outside the JVM, such as {@code bun install} or an exec worker's
 * {@code exec.build}: the command runs in the worker's folder with its output captured, and is
 * killed when it outlives its time limit.
 *
 * @param exitCode the command's exit status, or -1 when it could not start or timed out
 * @param output the merged stdout and stderr, or why the command could not run
 * @param elapsed time from start to exit
 */
record BuildCommand(int exitCode, String output, Duration elapsed) {

    /** Returns whether the command exited with status 0. */
    boolean success() {
        return exitCode == 0;
    }

    /**
     * Runs {@code command} in {@code folder} and waits for it.
     *
     * @param environment variables added to those of TQServer
     * @param timeout how long the command may run before it gets SIGKILL
     */
    static BuildCommand run(
            List<String> command, Path folder, Map<String, String> environment,
            Duration timeout) {
        long startNanos = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(folder.toFile())
                .redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return new BuildCommand(-1, String.join(" ", command) + ": cannot start: "
                    + e.getMessage(), elapsedSince(startNanos));
        }
        closeInput(process);
        CompletableFuture<String> output = CompletableFuture.supplyAsync(
                () -> readAll(process.getInputStream()));
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                return new BuildCommand(-1, output.getNow("") + "\n" + String.join(" ", command)
                        + ": timed out after " + timeout.toSeconds() + " s",
                        elapsedSince(startNanos));
            }
            return new BuildCommand(process.exitValue(), output.join(), elapsedSince(startNanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return new BuildCommand(-1, String.join(" ", command) + ": interrupted",
                    elapsedSince(startNanos));
        }
    }

    /** Closes stdin, so that a command that reads it sees end-of-file instead of waiting. */
    private static void closeInput(Process process) {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // The command has exited already or never reads its input.
        }
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "output not readable: " + e.getMessage();
        }
    }

    private static Duration elapsedSince(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
