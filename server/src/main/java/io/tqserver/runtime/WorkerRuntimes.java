package io.tqserver.runtime;

import io.tqserver.build.WorkerClasspath;
import io.tqserver.config.RunMode;
import io.tqserver.config.WorkerConfig;
import java.nio.file.Path;

/** Chooses the {@link WorkerRuntime} for a worker's type. */
public final class WorkerRuntimes {

    private WorkerRuntimes() {
    }

    /**
     * Creates the runtime of {@code worker}.
     *
     * @param classpath the pkg-worker library that Java workers compile and run against
     * @throws UnsupportedRuntimeException when the worker's type has no runtime yet
     */
    public static WorkerRuntime create(
            WorkerConfig worker, RunMode mode, WorkerClasspath classpath)
            throws UnsupportedRuntimeException {
        return switch (worker.type()) {
            case JAVA -> new JavaWorkerRuntime(worker, mode, classpath);
            case BUN -> new BunWorkerRuntime(
                    worker, mode, System.getenv(), Path.of("").toAbsolutePath());
            case EXEC -> new ExecWorkerRuntime(worker, System.getenv());
            case PHP -> new PhpFpmRuntime(worker, mode);
        };
    }
}
