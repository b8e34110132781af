package io.tqserver.supervisor;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker process started before the build it will run exists, in development mode: it waits
 * on its stdin for the line that names the build (see
 * {@link io.tqserver.runtime.WorkerRuntime#standbyHandoff}). The port it will listen on is
 * leased for it from the start.
 *
 * <p>Until {@link #handOff} succeeds the standby owns its port and process record, and
 * releases them once the process has exited. After a handoff the process is an instance, and
 * the {@link WorkerGroup} handles its exit like any other.
 */
final class StandbyProcess {

    private static final Logger log = LoggerFactory.getLogger(StandbyProcess.class);

    /**
     * Command line, environment and folder of a standby. A standby runs the next instance only
     * when its launch equals the one an instance started now would get, so that a change of
     * JVM options, memory limit or environment in {@code worker.yaml} or {@code server.yaml}
     * takes effect.
     *
     * @param command the standby's command line
     * @param environment the variables the supervisor sets, except {@code WORKER_PORT}
     * @param directory the working directory
     */
    record Launch(List<String> command, Map<String, String> environment, Path directory) {

        Launch {
            command = List.copyOf(command);
            environment = Map.copyOf(environment);
        }
    }

    private final Process process;
    private final int port;
    private final Launch launch;
    private final Runnable release;
    /** Set once by the handoff or by the exit that comes first, so only one of them releases. */
    private final AtomicBoolean claimed = new AtomicBoolean();

    /**
     * Wraps a started standby.
     *
     * @param release returns the port to the pool and drops the process record; runs once the
     *     process has exited, unless a handoff made it an instance
     */
    StandbyProcess(Process process, int port, Launch launch, Runnable release) {
        this.process = process;
        this.port = port;
        this.launch = launch;
        this.release = release;
        process.onExit().whenComplete((exited, error) -> {
            if (claimed.compareAndSet(false, true)) {
                release.run();
            }
        });
    }

    Process process() {
        return process;
    }

    long pid() {
        return process.pid();
    }

    int port() {
        return port;
    }

    Launch launch() {
        return launch;
    }

    /**
     * Writes {@code line} and a line break to the standby's stdin, then closes it.
     *
     * @return true when the standby received the line, so it is now an instance whose exit
     *     the caller handles. False when it had exited or could not be written to. It is then
     *     killed and releases its port itself.
     */
    boolean handOff(String line) {
        if (!process.isAlive() || !claimed.compareAndSet(false, true)) {
            return false;
        }
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            log.warn("worker standby not writable pid={} port={}", pid(), port, e);
            process.destroyForcibly();
            process.onExit().whenComplete((exited, error) -> release.run());
            return false;
        }
        return true;
    }

    /**
     * Sends SIGKILL, since a standby serves no request and keeps no state. Its port comes back
     * once it has exited.
     */
    void discard() {
        if (!claimed.get()) {
            process.destroyForcibly();
        }
    }

    /** Returns a future that completes once the process has exited. */
    CompletableFuture<Process> onExit() {
        return process.onExit();
    }
}
