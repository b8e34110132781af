package io.tqserver.runtimes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real TQServer daemon, {@code server/target/tqserver.jar}, started in a {@link TestLayout}
 * as its own process, with its output in {@code daemon.out} of the layout.
 */
final class DaemonProcess implements AutoCloseable {

    private final Process process;
    private final Path output;

    private DaemonProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Starts the daemon in development mode with {@code BUN} set to the repository's Bun. */
    static DaemonProcess start(TestLayout layout) throws IOException {
        Path jar = layout.home().resolve("server/target/tqserver.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " not found: run mvn package first");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        Path output = layout.root().resolve("daemon.out");
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx256m", "-jar",
                jar.toString(), "--mode", "dev", "--config", layout.serverConfig().toString()))
                .directory(layout.root().toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().put("BUN", layout.bun().toString());
        return new DaemonProcess(builder.start(), output);
    }

    long pid() {
        return process.pid();
    }

    /** Returns the processes the daemon started that are still running. */
    List<ProcessHandle> descendants() {
        return process.descendants().toList();
    }

    /** Sends SIGKILL, so that the daemon gets no chance to stop its workers. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Returns the daemon's console output so far, for failure messages. */
    String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            return "daemon output not readable: " + e;
        }
    }

    /** Stops the daemon with SIGTERM and then anything it left running with SIGKILL. */
    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> children = descendants();
        process.destroy();
        if (!process.waitFor(Duration.ofSeconds(30).toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }
}
