package io.tqserver.fastcgi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScriptResolverTest {

    @TempDir
    Path folder;

    private ScriptResolver resolver;

    @BeforeEach
    void createDocumentRoot() throws IOException {
        Path root = folder.resolve("public");
        Files.createDirectories(root.resolve("uploads"));
        Files.createDirectories(root.resolve("admin"));
        Files.writeString(root.resolve("index.php"), "<?php");
        Files.writeString(root.resolve("admin/index.php"), "<?php");
        Files.writeString(root.resolve("uploads/photo.jpg"), "jpg");
        Files.writeString(root.resolve("lib.inc"), "<?php");
        Files.writeString(root.resolve(".env"), "SECRET=1");
        Files.writeString(folder.resolve("outside.txt"), "outside");
        Files.createSymbolicLink(root.resolve("link.txt"), folder.resolve("outside.txt"));
        resolver = new ScriptResolver(root.toRealPath(), "index.php");
    }

    @Test
    void scriptWithPathInfo() {
        ScriptTarget.Script script = (ScriptTarget.Script) resolver.resolve("/index.php/a/b");

        assertThat(script.scriptName()).isEqualTo("/index.php");
        assertThat(script.pathInfo()).isEqualTo("/a/b");
    }

    @Test
    void missingPathGoesToFrontController() {
        ScriptTarget.Script script = (ScriptTarget.Script) resolver.resolve("/a/b");

        assertThat(script.scriptName()).isEqualTo("/index.php");
        assertThat(script.pathInfo()).isEmpty();
    }

    @Test
    void folderRunsItsIndex() {
        ScriptTarget.Script script = (ScriptTarget.Script) resolver.resolve("/admin");

        assertThat(script.scriptName()).isEqualTo("/admin/index.php");
    }

    @Test
    void staticFileIsServed() {
        assertThat(resolver.resolve("/uploads/photo.jpg"))
                .isInstanceOf(ScriptTarget.StaticFile.class);
    }

    @Test
    void fileBeforePhpSegmentIsNotRun() {
        assertThat(resolver.resolve("/uploads/photo.jpg/x.php"))
                .isInstanceOf(ScriptTarget.NotFound.class);
    }

    @Test
    void sourceDotfilesAndEscapesNotServed() {
        assertThat(resolver.resolve("/lib.inc")).isInstanceOf(ScriptTarget.NotFound.class);
        assertThat(resolver.resolve("/.env")).isInstanceOf(ScriptTarget.NotFound.class);
        assertThat(resolver.resolve("/%2eenv")).isInstanceOf(ScriptTarget.NotFound.class);
        assertThat(resolver.resolve("/uploads/../.env")).isInstanceOf(ScriptTarget.NotFound.class);
        assertThat(resolver.resolve("/link.txt")).isInstanceOf(ScriptTarget.NotFound.class);
        assertThat(resolver.resolve("/index.php%00.jpg"))
                .isInstanceOf(ScriptTarget.NotFound.class);
    }
}
