package io.tqserver.autoreload;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real files in a temporary workers folder, watched through the JDK WatchService. */
@Timeout(30)
class WorkerChangeWatcherTest {

    private static final Duration DEBOUNCE = Duration.ofMillis(50);
    /** Long enough for a burst to be reported on a busy machine; tests never assert it. */
    private static final long SETTLE_MILLIS = 600;

    @TempDir
    Path workers;

    private final List<Burst> bursts = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private WorkerChangeWatcher watcher;

    record Burst(String worker, Set<Path> paths) {
    }

    @BeforeEach
    void createWorkers() throws IOException {
        for (String worker : List.of("a", "ab")) {
            Files.createDirectories(workers.resolve(worker).resolve("src/app"));
            Files.createDirectories(workers.resolve(worker).resolve("config"));
            Files.createDirectories(workers.resolve(worker).resolve("bin"));
            write(workers.resolve(worker).resolve("src/app/Main.java"), "class Main {}");
        }
    }

    @AfterEach
    void closeWatcher() {
        if (watcher != null) {
            watcher.close();
        }
        timer.shutdownNow();
    }

    @Test
    void atomicRenameSaveReportsOneBurst() throws Exception {
        startWatching();
        Path target = workers.resolve("a/src/app/Main.java");
        Path temporary = workers.resolve("a/src/app/Main.java.tmp");
        write(temporary, "class Main { int x; }");
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);

        awaitBursts(1);
        assertThat(bursts).hasSize(1);
        assertThat(bursts.get(0).worker()).isEqualTo("a");
        assertThat(bursts.get(0).paths()).contains(Path.of("src/app/Main.java"));
    }

    @Test
    void fiftyQuickSavesGiveAtMostTwoBursts() throws Exception {
        // A quiet period as long as the whole burst, so that a test thread descheduled for
        // more than the default 50 ms on a busy machine does not split it.
        startWatching(Duration.ofMillis(200));
        Path target = workers.resolve("a/src/app/Main.java");
        for (int i = 0; i < 50; i++) {
            write(target, "class Main { int x = " + i + "; }");
            TimeUnit.MILLISECONDS.sleep(4);
        }

        awaitBursts(1);
        TimeUnit.MILLISECONDS.sleep(SETTLE_MILLIS);
        assertThat(bursts).hasSizeBetween(1, 2);
        assertThat(bursts).allMatch(burst -> burst.worker().equals("a"));
    }

    @Test
    void fileInNewSubfolderIsWatched() throws Exception {
        startWatching();
        Path folder = workers.resolve("a/views/partials");
        Files.createDirectories(folder);
        awaitBursts(1);
        bursts.clear();

        write(folder.resolve("header.html"), "<h1>hi</h1>");
        awaitBursts(1);
        assertThat(bursts.get(0).paths()).contains(Path.of("views/partials/header.html"));
    }

    @Test
    void changeUnderPrefixedNameReportsOnlyThatWorker() throws Exception {
        startWatching();
        write(workers.resolve("ab/src/app/Main.java"), "class Main { int y; }");

        awaitBursts(1);
        TimeUnit.MILLISECONDS.sleep(SETTLE_MILLIS);
        assertThat(bursts).extracting(Burst::worker).containsOnly("ab");
    }

    @Test
    void buildOutputAndDotFoldersAreIgnored() throws Exception {
        startWatching();
        write(workers.resolve("a/bin/Main.class"), "x");
        Files.createDirectories(workers.resolve("a/.git"));
        write(workers.resolve("a/.git/index"), "x");
        Files.createDirectories(workers.resolve("a/node_modules/lib"));
        write(workers.resolve("a/node_modules/lib/index.js"), "x");
        write(workers.resolve("a/src/app/.Main.java.swp"), "x");
        // A change that counts, so the test knows the ignored ones had their chance.
        write(workers.resolve("ab/config/worker.yaml"), "path: /ab\n");

        awaitBursts(1);
        TimeUnit.MILLISECONDS.sleep(SETTLE_MILLIS);
        assertThat(bursts).extracting(Burst::worker).containsOnly("ab");
    }

    @Test
    void touchAndInPlaceEditAreReported() throws Exception {
        startWatching();
        Path target = workers.resolve("a/src/app/Main.java");
        Files.setLastModifiedTime(target,
                java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        awaitBursts(1);
        bursts.clear();

        run("sed", "-i", "s/Main/Main2/", target.toString());
        awaitBursts(1);
        assertThat(bursts.get(0).paths()).contains(Path.of("src/app/Main.java"));
    }

    @Test
    void productionReportsRenamedArtifactOnly() throws Exception {
        startWatching(WatchPolicy.PROD, DEBOUNCE);
        write(workers.resolve("a/src/app/Main.java"), "class Main { int z; }");
        write(workers.resolve("a/tsconfig.json"), "{}");
        Path partial = workers.resolve("a/bin/a.jar.partial");
        write(partial, "jar bytes");
        Files.move(partial, workers.resolve("a/bin/a.jar"), StandardCopyOption.ATOMIC_MOVE);

        awaitBursts(1);
        TimeUnit.MILLISECONDS.sleep(SETTLE_MILLIS);
        assertThat(bursts).hasSize(1);
        assertThat(bursts.get(0).worker()).isEqualTo("a");
        assertThat(bursts.get(0).paths()).containsExactly(Path.of("bin/a.jar"));
    }

    @Test
    void productionReportsWorkerYaml() throws Exception {
        startWatching(WatchPolicy.PROD, DEBOUNCE);
        write(workers.resolve("ab/config/worker.yaml"), "path: /ab\n");

        awaitBursts(1);
        assertThat(bursts.get(0).worker()).isEqualTo("ab");
        assertThat(bursts.get(0).paths()).containsExactly(Path.of("config/worker.yaml"));
    }

    @Test
    void pollingReportsChangesInNewFolders() throws Exception {
        watcher = create(WatchPolicy.DEV, DEBOUNCE);
        watcher.startPolling();
        assertThat(watcher.isPolling()).isTrue();

        Files.createDirectories(workers.resolve("ab/public/css"));
        write(workers.resolve("ab/public/css/site.css"), "body {}");

        awaitBursts(1);
        assertThat(bursts.get(0).worker()).isEqualTo("ab");
        assertThat(bursts.get(0).paths()).contains(Path.of("public/css/site.css"));
    }

    private void startWatching() throws IOException {
        startWatching(DEBOUNCE);
    }

    private void startWatching(Duration debounce) throws IOException {
        startWatching(WatchPolicy.DEV, debounce);
    }

    private void startWatching(WatchPolicy policy, Duration debounce) throws IOException {
        watcher = create(policy, debounce);
        watcher.start();
        assertThat(watcher.isPolling()).isFalse();
    }

    private WorkerChangeWatcher create(WatchPolicy policy, Duration debounce) {
        return new WorkerChangeWatcher(workers, policy.filter(), () -> debounce, timer,
                (worker, paths) -> bursts.add(new Burst(worker, Set.copyOf(paths))));
    }

    /** Waits, for at most 10 s, until {@code count} bursts have been reported. */
    private void awaitBursts(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (bursts.size() < count && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(10);
        }
        assertThat(bursts).as("bursts reported within 10 s").hasSizeGreaterThanOrEqualTo(count);
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).inheritIO().start();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
    }
}
