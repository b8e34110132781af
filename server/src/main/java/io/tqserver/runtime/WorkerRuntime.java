package io.tqserver.runtime;

import io.tqserver.routing.WorkerProtocol;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Build, launch and health-check steps of one worker's instances, for one runtime type. The
 * supervisor has one object per worker, made by {@link WorkerRuntimes#create}, and calls it from
 * one thread at a time.
 */
public interface WorkerRuntime extends AutoCloseable {

    /** Builds the worker from its sources and blocks until the build has finished. */
    WorkerBuild build();

    /**
     * Returns whether {@link #build()} only checks an artifact built beforehand, such as a Java
     * worker's jar in production mode, rather than building.
     */
    default boolean checksPrebuiltArtifact() {
        return false;
    }

    /**
     * Returns the command line that starts an instance from {@code build}. The supervisor adds
     * the environment ({@code WORKER_PORT} and the rest) and the working directory.
     */
    List<String> launchCommand(WorkerBuild build);

    /**
     * Returns the variables that each instance gets on top of TQServer's environment and the
     * supervisor's {@code WORKER_*} variables, such as the limits of a runtime that reads them
     * from the environment.
     */
    default Map<String, String> launchEnvironment() {
        return Map.of();
    }

    /**
     * Returns the command line of a standby process: one started before the next build exists,
     * which {@link #standbyHandoff} later turns into an instance of that build, so that a swap
     * skips the process start. The supervisor gives it the environment of an instance. Empty,
     * the default, when the runtime starts every instance with {@link #launchCommand}.
     */
    default Optional<List<String>> standbyCommand() {
        return Optional.empty();
    }

    /**
     * Returns the line that a standby started with {@link #standbyCommand} reads from its stdin
     * to become an instance of {@code build}, without the line break.
     *
     * @throws UnsupportedOperationException when the runtime has no standby
     */
    default String standbyHandoff(WorkerBuild build) {
        throw new UnsupportedOperationException("runtime has no standby process");
    }

    /**
     * Sends one health check to an instance.
     *
     * @param timeout how long connecting, and then reading the response, may each take
     * @return whether the instance reported itself healthy within {@code timeout}
     */
    boolean isHealthy(InetSocketAddress address, Duration timeout);

    /** Returns how the proxy talks to the instances; HTTP unless the runtime says otherwise. */
    default WorkerProtocol protocol() {
        return WorkerProtocol.HTTP;
    }

    /** Returns the address an instance listens on, given its port from the pool. */
    default InetSocketAddress address(int port) {
        return new InetSocketAddress("127.0.0.1", port);
    }

    /**
     * Returns whether an instance's standard input stays open, as a pipe that reaches end of
     * file when TQServer exits, instead of being closed at start.
     */
    default boolean keepsStandardInputOpen() {
        return false;
    }

    /** Deletes the output of earlier builds, except that of {@code inUse}. */
    void pruneBuilds(Collection<WorkerBuild> inUse);

    /** Releases what the runtime keeps between builds. */
    @Override
    void close();
}
