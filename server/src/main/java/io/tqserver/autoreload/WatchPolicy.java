package io.tqserver.autoreload;

import io.tqserver.build.WorkerJars;
import io.tqserver.config.RunMode;
import io.tqserver.watch.WatchFilter;
import java.nio.file.Path;

/**
 * Watch policy of each run mode: the paths watched under the workers folder, and the changed
 * paths that count as a code change, which swaps a worker even when its settings did not change.
 */
enum WatchPolicy {

    /**
     * Every source file. Any change rebuilds and swaps the worker, a saved {@code worker.yaml}
     * included, so a fixed configuration error leaves the route even when the settings equal
     * the running ones.
     */
    DEV(new SourceFolderFilter()) {
        @Override
        boolean isCodeChange(String worker, Path inWorker) {
            return true;
        }
    },

    /** Only {@code config/worker.yaml} and the artifact {@code bin/{name}.jar}. */
    PROD(new ArtifactFolderFilter()) {
        @Override
        boolean isCodeChange(String worker, Path inWorker) {
            return inWorker.equals(artifactOf(worker));
        }
    };

    /** A worker's settings file, relative to its folder. */
    static final Path WORKER_YAML = Path.of("config", "worker.yaml");

    private final WatchFilter filter;

    WatchPolicy(WatchFilter filter) {
        this.filter = filter;
    }

    static WatchPolicy of(RunMode mode) {
        return mode == RunMode.DEV ? DEV : PROD;
    }

    /** Returns the filter of paths relative to the workers folder. */
    WatchFilter filter() {
        return filter;
    }

    /**
     * Returns whether a change of {@code inWorker}, relative to the folder of {@code worker},
     * calls for a new instance even when the settings did not change.
     */
    abstract boolean isCodeChange(String worker, Path inWorker);

    /** Returns the production artifact of {@code worker}, relative to its folder. */
    static Path artifactOf(String worker) {
        Path folder = Path.of(worker);
        return folder.relativize(WorkerJars.jarOf(folder));
    }
}
