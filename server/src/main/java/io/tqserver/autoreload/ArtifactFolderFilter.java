package io.tqserver.autoreload;

import io.tqserver.watch.WatchFilter;
import java.nio.file.Path;

/**
 * Filter of production mode. Keeps only what a deploy changes: each worker folder itself, its
 * {@code config/worker.yaml} and its artifact {@code bin/{name}.jar}. Sources, logs and the
 * temporary files that a deploy writes before renaming them into place are left out, so saving
 * a source file on a production machine starts nothing. Paths are relative to the workers
 * folder, so the first name is the worker's.
 */
final class ArtifactFolderFilter implements WatchFilter {

    @Override
    public boolean isIgnored(Path relative, boolean folder) {
        String worker = relative.getName(0).toString();
        if (worker.startsWith(".")) {
            return true;
        }
        return switch (relative.getNameCount()) {
            case 1 -> false;
            case 2 -> !isConfigOrBin(relative.getName(1).toString());
            case 3 -> !isKeptFile(worker, relative.subpath(1, 3));
            default -> true;
        };
    }

    private static boolean isKeptFile(String worker, Path inWorker) {
        return inWorker.equals(WatchPolicy.WORKER_YAML)
                || inWorker.equals(WatchPolicy.artifactOf(worker));
    }

    private static boolean isConfigOrBin(String name) {
        return name.equals("config") || name.equals("bin");
    }
}
