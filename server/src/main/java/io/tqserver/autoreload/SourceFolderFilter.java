package io.tqserver.autoreload;

import io.tqserver.watch.WatchFilter;
import java.nio.file.Path;

/**
 * Filter of development mode. Leaves out of the watch what a build or an editor writes rather
 * than the developer: each worker's {@code bin/} (build output), {@code node_modules/} at any
 * depth, dot files and folders ({@code .git}, {@code .idea}, vim's {@code .swp} files), and
 * backup files ending in {@code ~}. Paths are relative to the workers folder, so the first name
 * is the worker's.
 */
final class SourceFolderFilter implements WatchFilter {

    @Override
    public boolean isIgnored(Path relative, boolean folder) {
        int count = relative.getNameCount();
        for (int i = 0; i < count; i++) {
            String name = relative.getName(i).toString();
            if (name.startsWith(".") || name.equals("node_modules")) {
                return true;
            }
        }
        if (count >= 2 && relative.getName(1).toString().equals("bin")) {
            return true;
        }
        return relative.getFileName().toString().endsWith("~");
    }
}
