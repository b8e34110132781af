package io.tqserver.autoreload;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A real configuration folder, watched through the JDK WatchService. */
@Timeout(30)
class ConfigFileWatcherTest {

    /** Long enough for a burst to be reported on a busy machine; tests never assert it. */
    private static final long SETTLE_MILLIS = 600;

    @TempDir
    Path folder;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger bursts = new AtomicInteger();
    private volatile Duration debounce = Duration.ofMillis(50);
    private ConfigFileWatcher watcher;

    @BeforeEach
    void startWatching() throws IOException {
        Files.writeString(folder.resolve("server.yaml"), "server:\n  port: 8080\n");
        watcher = new ConfigFileWatcher(folder.resolve("server.yaml"), () -> debounce, timer,
                bursts::incrementAndGet);
        watcher.start();
    }

    @AfterEach
    void stopWatching() {
        watcher.close();
        timer.shutdownNow();
    }

    @Test
    void renameOverFileReportsOneBurst() throws Exception {
        Path temporary = folder.resolve("server.yaml.tmp");
        Files.writeString(temporary, "server:\n  port: 8081\n");
        Files.move(temporary, folder.resolve("server.yaml"), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);

        awaitBursts(1);
        TimeUnit.MILLISECONDS.sleep(SETTLE_MILLIS);
        assertThat(bursts.get()).isEqualTo(1);
    }

    @Test
    void otherFilesAndFoldersAreIgnored() throws Exception {
        Files.writeString(folder.resolve("deployment.yaml"), "targets: {}\n");
        Files.createDirectories(folder.resolve("sub"));
        Files.writeString(folder.resolve("sub/server.yaml"), "x\n");
        // A change that counts, written last, so the ignored changes arrive before it.
        Files.writeString(folder.resolve("server.yaml"), "server:\n  port: 8082\n");

        awaitBursts(1);
        TimeUnit.MILLISECONDS.sleep(SETTLE_MILLIS);
        assertThat(bursts.get()).isEqualTo(1);
    }

    @Test
    void changedQuietPeriodAppliesToNextChange() throws Exception {
        debounce = Duration.ofMillis(300);
        for (int i = 0; i < 5; i++) {
            Files.writeString(folder.resolve("server.yaml"), "server:\n  port: " + i + "\n");
            TimeUnit.MILLISECONDS.sleep(20);
        }

        awaitBursts(1);
        TimeUnit.MILLISECONDS.sleep(SETTLE_MILLIS);
        assertThat(bursts.get()).isEqualTo(1);
    }

    /** Waits, for at most 10 s, until {@code count} bursts have been reported. */
    private void awaitBursts(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (bursts.get() < count && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(10);
        }
        assertThat(bursts.get()).as("bursts reported within 10 s").isGreaterThanOrEqualTo(count);
    }
}
