package io.tqserver.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Outcome of building one worker: what to launch, or why there is nothing to launch.
 *
 * @param artifact what the build produced, such as a Java worker's class folder, or {@code null}
 *     when the build failed or the runtime needs no build output
 * @param entryPoint what the launch command starts, such as a Java main class, or {@code null}
 * @param failure the build's error output, or {@code null} when the build succeeded
 * @param elapsed time the build took
 */
public record WorkerBuild(Path artifact, String entryPoint, String failure, Duration elapsed) {

    public WorkerBuild {
        Objects.requireNonNull(elapsed, "elapsed");
    }

    /** Creates the outcome of a build that succeeded. */
    public static WorkerBuild succeeded(Path artifact, String entryPoint, Duration elapsed) {
        return new WorkerBuild(artifact, entryPoint, null, elapsed);
    }

    /** Creates the outcome of a build that failed with {@code failure} as its error output. */
    public static WorkerBuild failed(String failure, Duration elapsed) {
        Objects.requireNonNull(failure, "failure");
        return new WorkerBuild(null, null, failure, elapsed);
    }

    /** Returns whether an instance can be launched from this build. */
    public boolean success() {
        return failure == null;
    }
}
