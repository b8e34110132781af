package io.tqserver.supervisor;

import io.tqserver.routing.WorkerInstance;
import io.tqserver.runtime.WorkerBuild;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One operating-system process of a worker, with the {@link WorkerInstance} that the proxy sees,
 * the build it runs and its port.
 */
final class WorkerProcess {

    private static final Logger log = LoggerFactory.getLogger(WorkerProcess.class);

    private final Process process;
    private final WorkerInstance instance;
    private final WorkerBuild build;
    private final long startNanos;
    private final boolean onStandby;
    private final CompletableFuture<Void> exitHandled = new CompletableFuture<>();

    /** {@link System#nanoTime()} of the first passed health check, or 0 before it. */
    private volatile long healthyNanos;

    /** Whether the supervisor stopped or is stopping the process, so its exit is expected. */
    private volatile boolean stopRequested;

    /**
     * Wraps a started process.
     *
     * @param startNanos {@link System#nanoTime()} of the start, or of the handoff to a standby
     * @param onStandby whether the process was a standby that received the build
     */
    WorkerProcess(Process process, WorkerInstance instance, WorkerBuild build, long startNanos,
            boolean onStandby) {
        this.process = process;
        this.instance = instance;
        this.build = build;
        this.startNanos = startNanos;
        this.onStandby = onStandby;
    }

    Process process() {
        return process;
    }

    WorkerInstance instance() {
        return instance;
    }

    WorkerBuild build() {
        return build;
    }

    int port() {
        return instance.port();
    }

    long pid() {
        return process.pid();
    }

    /**
     * Returns the {@link System#nanoTime()} at which the process was started, or at which a
     * standby received the build.
     */
    long startNanos() {
        return startNanos;
    }

    /** Returns whether the process was a standby that received the build. */
    boolean onStandby() {
        return onStandby;
    }

    void recordHealthy() {
        healthyNanos = System.nanoTime();
    }

    /** Returns the {@link System#nanoTime()} of the first passed health check, or 0. */
    long healthyNanos() {
        return healthyNanos;
    }

    boolean isStopRequested() {
        return stopRequested;
    }

    /** Marks the coming exit as expected, before the route stops sending requests here. */
    void expectExit() {
        stopRequested = true;
    }

    /**
     * Stops new requests, sends SIGTERM and schedules SIGKILL for when the process is still alive
     * after {@code gracePeriod}.
     */
    void terminate(Duration gracePeriod, ScheduledExecutorService timer) {
        stopRequested = true;
        instance.drain();
        if (!process.isAlive()) {
            return;
        }
        log.info("worker stopping worker={} pid={} port={}",
                instance.workerName(), pid(), port());
        process.destroy();
        timer.schedule(() -> killAfterGracePeriod(gracePeriod),
                gracePeriod.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Sends SIGKILL at once, for a process that never served a request. */
    void kill() {
        stopRequested = true;
        instance.drain();
        process.destroyForcibly();
    }

    /** Returns a future that completes once the supervisor has handled the process's exit. */
    CompletableFuture<Void> exitHandled() {
        return exitHandled;
    }

    void markExitHandled() {
        exitHandled.complete(null);
    }

    private void killAfterGracePeriod(Duration gracePeriod) {
        if (process.isAlive()) {
            log.warn("worker did not exit after SIGTERM, sending SIGKILL worker={} pid={} port={}"
                    + " grace_ms={}", instance.workerName(), pid(), port(), gracePeriod.toMillis());
            process.destroyForcibly();
        }
    }
}
