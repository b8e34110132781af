package io.tqserver.fastcgi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Maps a request path to a script, a static file or nothing, under one document root.
 *
 * <p>The decoded path is walked one segment at a time. The first segment that names a regular
 * {@code .php} file is the script and what follows is {@code PATH_INFO}, so
 * {@code /index.php/a/b} runs {@code index.php} with {@code /a/b}. A regular file of any other
 * kind followed by more segments maps to nothing, so {@code photo.jpg/x.php} never runs
 * {@code photo.jpg}. A path whose file does not exist goes to the front controller. Segments
 * starting with a dot are never served, PHP source is never served as a file, and a file whose
 * real path leaves the document root through a symbolic link is not served.
 */
public final class ScriptResolver {

    /** Extensions of PHP source that is never sent as a file. */
    private static final Set<String> SOURCE_EXTENSIONS = Set.of(
            "php", "phtml", "phps", "php3", "php4", "php5", "php7", "php8", "phar", "inc");

    private final Path documentRoot;
    private final String frontController;

    /**
     * @param documentRoot absolute, real path of the document root
     * @param frontController script relative to the document root, or {@code null} for none
     */
    public ScriptResolver(Path documentRoot, String frontController) {
        this.documentRoot = documentRoot;
        this.frontController = frontController;
    }

    /** Resolves {@code rawPath}, the percent-encoded path of the request without the query. */
    public ScriptTarget resolve(String rawPath) {
        String path = decodePath(rawPath);
        if (path == null) {
            return new ScriptTarget.NotFound("invalid percent-encoding or NUL in path");
        }
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            if (segment.startsWith(".") || segment.contains("\\")) {
                return new ScriptTarget.NotFound("dot segment or dotfile: " + segment);
            }
            segments.add(segment);
        }
        Path current = documentRoot;
        for (int i = 0; i < segments.size(); i++) {
            String segment = segments.get(i);
            current = current.resolve(segment);
            if (Files.isDirectory(current)) {
                continue;
            }
            if (!Files.isRegularFile(current)) {
                return frontController();
            }
            if (isPhpScript(segment)) {
                String pathInfo = i + 1 < segments.size()
                        ? "/" + String.join("/", segments.subList(i + 1, segments.size())) : "";
                return script("/" + String.join("/", segments.subList(0, i + 1)), pathInfo);
            }
            if (i + 1 < segments.size()) {
                return new ScriptTarget.NotFound("file followed by more segments: " + segment);
            }
            if (isSource(segment)) {
                return new ScriptTarget.NotFound("PHP source: " + segment);
            }
            return staticFile(current);
        }
        String folder = segments.isEmpty() ? "" : "/" + String.join("/", segments);
        if (Files.isRegularFile(current.resolve("index.php"))) {
            return script(folder + "/index.php", "");
        }
        return frontController();
    }

    private ScriptTarget frontController() {
        if (frontController == null || !Files.isRegularFile(documentRoot.resolve(frontController))) {
            return new ScriptTarget.NotFound("no script and no front controller");
        }
        return script("/" + frontController, "");
    }

    private ScriptTarget script(String scriptName, String pathInfo) {
        Path file = documentRoot.resolve(scriptName.substring(1));
        if (!isInsideRoot(file)) {
            return new ScriptTarget.NotFound("script outside the document root: " + scriptName);
        }
        return new ScriptTarget.Script(scriptName, file, pathInfo);
    }

    private ScriptTarget staticFile(Path file) {
        if (!isInsideRoot(file)) {
            return new ScriptTarget.NotFound("file outside the document root: " + file);
        }
        return new ScriptTarget.StaticFile(file);
    }

    private boolean isInsideRoot(Path file) {
        try {
            return file.toRealPath().startsWith(documentRoot);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isPhpScript(String segment) {
        return segment.toLowerCase(Locale.ROOT).endsWith(".php");
    }

    private static boolean isSource(String segment) {
        int dot = segment.lastIndexOf('.');
        return dot >= 0
                && SOURCE_EXTENSIONS.contains(segment.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /**
     * Decodes {@code %XX} escapes as UTF-8, leaving {@code +} as it is because it is literal in
     * a path. Returns {@code null} for a malformed escape or a NUL byte.
     */
    static String decodePath(String rawPath) {
        if (rawPath.indexOf('%') < 0) {
            return rawPath.indexOf('\0') < 0 ? rawPath : null;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(rawPath.length());
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c != '%') {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
                continue;
            }
            if (i + 2 >= rawPath.length()) {
                return null;
            }
            int high = Character.digit(rawPath.charAt(i + 1), 16);
            int low = Character.digit(rawPath.charAt(i + 2), 16);
            if (high < 0 || low < 0 || (high == 0 && low == 0)) {
                return null;
            }
            bytes.write(high * 16 + low);
            i += 2;
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
