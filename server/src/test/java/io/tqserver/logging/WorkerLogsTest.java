package io.tqserver.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerLogsTest {

    private static final String LINE_START = "\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3} ";

    @TempDir
    Path folder;

    @Test
    void writesToOwnFileWithNameAndDate() throws IOException {
        LocalDate today = LocalDate.now();
        String pattern = folder.resolve("logs/worker_{name}_{date}.log").toString();

        try (WorkerOutput output = WorkerLogs.open("api", pattern)) {
            output.write("GET /api/users 200 {} 100%");
        }

        Path file = folder.resolve("logs/worker_api_" + today + ".log");
        assertThat(Files.readAllLines(file)).singleElement().asString()
                .matches(LINE_START + "GET /api/users 200 \\{\\} 100%");
    }

    @Test
    void writesParenthesesInFileName() throws IOException {
        String pattern = folder.resolve("x_{name}(1).log").toString();

        try (WorkerOutput output = WorkerLogs.open("api", pattern)) {
            output.write("hello");
        }

        assertThat(folder.resolve("x_api(1).log")).content().endsWith(" hello\n");
    }

    @Test
    void percentInFileNameDiscards() throws IOException {
        int openBefore = WorkerLogs.openFileCount();

        try (WorkerOutput output = WorkerLogs.open("api", folder.resolve("100%.log").toString())) {
            output.write("nowhere");
        }

        assertThat(WorkerLogs.openFileCount()).isEqualTo(openBefore);
        try (var files = Files.list(folder)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void keepsWorkersApart() throws IOException {
        String pattern = folder.resolve("{name}.log").toString();

        try (WorkerOutput api = WorkerLogs.open("api", pattern);
                WorkerOutput shop = WorkerLogs.open("shop", pattern)) {
            api.write("from api");
            shop.write("from shop");
        }

        assertThat(Files.readString(folder.resolve("api.log"))).contains("from api")
                .doesNotContain("from shop");
        assertThat(Files.readString(folder.resolve("shop.log"))).contains("from shop")
                .doesNotContain("from api");
    }

    @Test
    void concurrentInstancesWriteEveryLineWhole() throws Exception {
        String pattern = folder.resolve("{name}.log").toString();
        WorkerOutput oldInstance = WorkerLogs.open("api", pattern);
        WorkerOutput newInstance = WorkerLogs.open("api", pattern);
        int linesPerInstance = 5_000;
        CountDownLatch start = new CountDownLatch(1);

        List<Thread> pumps = new ArrayList<>();
        for (WorkerOutput output : List.of(oldInstance, newInstance)) {
            String tag = output == oldInstance ? "old" : "new";
            Thread pump = new Thread(() -> {
                awaitQuietly(start);
                for (int i = 0; i < linesPerInstance; i++) {
                    output.write(tag + " line " + i + " " + "x".repeat(200));
                }
            }, "pump-" + tag);
            pump.start();
            pumps.add(pump);
        }
        start.countDown();
        for (Thread pump : pumps) {
            pump.join();
        }
        oldInstance.close();
        newInstance.close();

        List<String> lines = Files.readAllLines(folder.resolve("api.log"));
        assertThat(lines).hasSize(2 * linesPerInstance);
        assertThat(lines).allMatch(line -> line.matches(LINE_START + "(old|new) line \\d+ x{200}"));
        for (String tag : List.of("old", "new")) {
            assertThat(lines.stream().filter(line -> line.contains(" " + tag + " line ")))
                    .hasSize(linesPerInstance);
        }
    }

    @Test
    void fileStaysOpenUntilLastInstanceCloses() throws IOException {
        String pattern = folder.resolve("{name}.log").toString();
        int openBefore = WorkerLogs.openFileCount();
        WorkerOutput oldInstance = WorkerLogs.open("api", pattern);
        WorkerOutput newInstance = WorkerLogs.open("api", pattern);

        oldInstance.close();
        oldInstance.write("dropped after close");
        newInstance.write("still written");
        int openAfterFirstClose = WorkerLogs.openFileCount();
        newInstance.close();

        assertThat(openAfterFirstClose).isEqualTo(openBefore + 1);
        assertThat(WorkerLogs.openFileCount()).isEqualTo(openBefore);
        assertThat(Files.readAllLines(folder.resolve("api.log"))).singleElement().asString()
                .endsWith(" still written");
    }

    @Test
    void reopenedFileIsAppended() throws IOException {
        String pattern = folder.resolve("{name}.log").toString();

        for (int run = 1; run <= 2; run++) {
            try (WorkerOutput output = WorkerLogs.open("api", pattern)) {
                output.write("run " + run);
            }
        }

        assertThat(Files.readAllLines(folder.resolve("api.log"))).hasSize(2);
    }

    @Test
    void serverReconfigurationLeavesWorkerFileOpen() throws IOException {
        String pattern = folder.resolve("{name}.log").toString();

        try (WorkerOutput output = WorkerLogs.open("api", pattern)) {
            ServerLogging.configure(null, false);
            output.write("after reconfiguration");
        }

        assertThat(Files.readString(folder.resolve("api.log"))).contains("after reconfiguration");
    }

    @Test
    void nullPatternDiscards() throws IOException {
        int openBefore = WorkerLogs.openFileCount();

        try (WorkerOutput output = WorkerLogs.open("api", null)) {
            output.write("nowhere");
            assertThat(WorkerLogs.openFileCount()).isEqualTo(openBefore);
        }

        try (var files = Files.list(folder)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void unopenableFileDiscards() throws IOException {
        Path blocker = Files.writeString(folder.resolve("blocker"), "a file, not a folder");
        int openBefore = WorkerLogs.openFileCount();

        try (WorkerOutput output = WorkerLogs.open("api",
                blocker.resolve("{name}.log").toString())) {
            output.write("nowhere");
        }

        assertThat(WorkerLogs.openFileCount()).isEqualTo(openBefore);
        assertThat(blocker).isRegularFile();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
