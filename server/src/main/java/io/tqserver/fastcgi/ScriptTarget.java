package io.tqserver.fastcgi;

import java.nio.file.Path;

/** What a request path under a PHP document root maps to. */
public sealed interface ScriptTarget {

    /**
     * A PHP script to run.
     *
     * @param scriptName path of the script from the document root, starting with {@code /}
     * @param file absolute path of the script
     * @param pathInfo the rest of the path after the script, starting with {@code /}, or empty
     */
    record Script(String scriptName, Path file, String pathInfo) implements ScriptTarget {
    }

    /** A file that is not PHP, served as it is. */
    record StaticFile(Path file) implements ScriptTarget {
    }

    /** Nothing may be served: no such file, a dotfile, PHP source, or a path outside the root. */
    record NotFound(String reason) implements ScriptTarget {
    }
}
