package io.tqserver.watch;

import java.nio.file.Path;

/** Decides which paths of a watched tree are left out, as paths relative to the tree's root. */
@FunctionalInterface
public interface WatchFilter {

    /**
     * Returns whether {@code relative} is left out. A left-out folder is not watched, so nothing
     * below it is reported either.
     *
     * @param relative path relative to the watched root, never empty
     * @param folder whether the path is a folder
     */
    boolean isIgnored(Path relative, boolean folder);
}
