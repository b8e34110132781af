package io.tqserver.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Production mode runs the jars of scripts/build-prod.sh, never compiles, and swaps a worker
 * when its jar is replaced on disk.
 */
class ProdArtifactIT {

    private static final Pattern OPS_STARTED = Pattern.compile("worker started worker=ops ");

    @TempDir
    Path folder;

    @TempDir
    Path otherBuild;

    @Test
    void missingArtifactFailsOnlyItsWorker() throws Exception {
        DaemonFolder layout = DaemonFolder.at(folder).testWorker("ops", "ops", "/")
                .testWorker("ops", "nojar", "/nojar")
                .arguments("--mode", "prod");
        Operations.buildJars(folder, "ops");
        try (RunningDaemon daemon = layout.start()) {
            daemon.awaitLog(Pattern.compile("worker artifact check failed worker=nojar .*\\n"
                    + "artifact not found: .*/workers/nojar/bin/nojar\\.jar; build it with"
                    + " scripts/build-prod\\.sh"));
            daemon.awaitLog(Pattern.compile("worker artifact found worker=ops in \\d+ ms"));

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

    @Test
    void replacedArtifactSwapsWithoutFailedRequests() throws Exception {
        DaemonFolder layout = DaemonFolder.at(folder).testWorker("ops", "ops", "/")
                .arguments("--mode", "prod");
        Operations.buildJars(folder, "ops");
        Path newJar = buildVersion("2");

        try (RunningDaemon daemon = layout.start()) {
            RequestLoop loop = RequestLoop.start(daemon.port(), "/", 2, 5_000,
                    Duration.ofSeconds(60));
            replaceArtifact(newJar);
            daemon.awaitLog(Pattern.compile("worker swapped worker=ops "));
            awaitBody(daemon, "version 2");
            loop.close();

            assertThat(loop.failures()).isEmpty();
            assertThat(loop.succeeded()).isPositive();
            assertThat(daemon.logMatches(
                    Pattern.compile("worker files changed worker=ops "))).hasSize(1);
            assertThat(daemon.logMatches(OPS_STARTED)).hasSize(2);
        }
    }

    @Test
    void brokenArtifactKeepsOldInstance() throws Exception {
        DaemonFolder layout = DaemonFolder.at(folder).testWorker("ops", "ops", "/")
                .arguments("--mode", "prod");
        Operations.buildJars(folder, "ops");

        try (RunningDaemon daemon = layout.start()) {
            String before = HttpConnection.get(daemon.port(), "/").bodyText();
            Path broken = folder.resolve("broken.jar");
            Files.writeString(broken, "not a jar");
            replaceArtifact(broken);

            daemon.awaitLog(Pattern.compile("worker artifact check failed worker=ops in \\d+ ms,"
                    + " pid \\d+ keeps serving\\nartifact invalid: .*/workers/ops/bin/ops\\.jar"
                    + " cannot be read as a jar"));
            assertThat(HttpConnection.get(daemon.port(), "/").bodyText()).isEqualTo(before);
            assertThat(daemon.logMatches(OPS_STARTED)).hasSize(1);
        }
    }

    @Test
    void sourceEditStartsNothing() throws Exception {
        DaemonFolder layout = DaemonFolder.at(folder).testWorker("ops", "ops", "/")
                .testWorker("ops", "other", "/other")
                .arguments("--mode", "prod");
        Operations.buildJars(folder, "ops", "other");

        try (RunningDaemon daemon = layout.start()) {
            String before = HttpConnection.get(daemon.port(), "/").bodyText();
            Path main = folder.resolve("workers/ops/src/ops/OpsWorker.java");
            Files.writeString(main, Files.readString(main).replace(
                    "VERSION = \"1\"", "VERSION = \"3\""));
            // A change that counts, made after the source edit, so the edit had its chance.
            Files.writeString(folder.resolve("workers/other/config/worker.yaml"),
                    Files.readString(folder.resolve("workers/other/config/worker.yaml"))
                            + "# edited\n");
            daemon.awaitLog(Pattern.compile("worker files changed worker=other "));

            assertThat(daemon.logMatches(Pattern.compile("worker files changed worker=ops ")))
                    .isEmpty();
            assertThat(daemon.logMatches(OPS_STARTED)).hasSize(1);
            assertThat(HttpConnection.get(daemon.port(), "/").bodyText()).isEqualTo(before);
        }
    }

    /** Builds the ops worker with {@code VERSION} set in another folder and returns its jar. */
    private Path buildVersion(String version) throws IOException, InterruptedException {
        DaemonFolder.at(otherBuild).testWorker("ops", "ops", "/");
        Path main = otherBuild.resolve("workers/ops/src/ops/OpsWorker.java");
        Files.writeString(main, Files.readString(main).replace(
                "VERSION = \"1\"", "VERSION = \"" + version + "\""));
        Operations.buildJars(otherBuild, "ops");
        return otherBuild.resolve("workers/ops/bin/ops.jar");
    }

    /** Replaces the deployed jar as a deploy does: a copy beside it, renamed over it. */
    private void replaceArtifact(Path newJar) throws IOException {
        Path jar = folder.resolve("workers/ops/bin/ops.jar");
        Path partial = jar.resolveSibling("ops.jar.partial");
        Files.copy(newJar, partial, StandardCopyOption.REPLACE_EXISTING);
        Files.move(partial, jar, StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** Sends {@code GET /} until its body contains {@code text}, for at most 30 s. */
    private static void awaitBody(RunningDaemon daemon, String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String body = "";
        while (System.nanoTime() - deadline < 0) {
            body = HttpConnection.get(daemon.port(), "/").bodyText();
            if (body.contains(text)) {
                return;
            }
            Thread.sleep(50);
        }
        throw daemon.failure("GET / never returned '" + text + "'; last body: " + body);
    }
}
