package io.tqserver.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Production mode runs the jars of scripts/build-prod.sh and never compiles. */
class ProdArtifactIT {

    @TempDir
    Path folder;

    @Test
    void missingArtifactFailsOnlyItsWorker() throws Exception {
        DaemonFolder layout = DaemonFolder.at(folder).testWorker("ops", "ops", "/")
                .testWorker("ops", "nojar", "/nojar")
                .arguments("--mode", "prod");
        Operations.buildJars(folder, "ops");
        try (RunningDaemon daemon = layout.start()) {
            daemon.awaitLog(Pattern.compile("worker build failed worker=nojar .*\\n"
                    + "artifact not found: .*/workers/nojar/bin/nojar\\.jar; build it with"
                    + " scripts/build-prod\\.sh"));

            assertThat(HttpConnection.get(daemon.port(), "/").bodyText()).contains("version 1");
            assertThat(HttpConnection.get(daemon.port(), "/nojar/x").status()).isEqualTo(503);
            assertThat(folder.resolve("workers/ops/bin")).isDirectoryNotContaining(
                    "glob:**/classes-*");
        }
    }

    @Test
    void jarBuilderWritesJarWithoutClassFolders() throws Exception {
        DaemonFolder.at(folder).testWorker("ops", "ops", "/");

        Operations.buildJars(folder);

        assertThat(folder.resolve("workers/ops/bin/ops.jar")).isRegularFile();
        try (var entries = Files.list(folder.resolve("workers/ops/bin"))) {
            assertThat(entries.map(path -> path.getFileName().toString()))
                    .containsExactly("ops.jar");
        }
    }
}
