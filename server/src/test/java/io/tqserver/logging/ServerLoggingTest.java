package io.tqserver.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class ServerLoggingTest {

    private static final Logger log = LoggerFactory.getLogger(ServerLoggingTest.class);

    private static final String LINE_START = "\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3} ";

    @TempDir
    Path folder;

    @AfterEach
    void restoreConsoleLogging() {
        ServerLogging.configure(null, false);
    }

    @Test
    void writesFileNamedWithTodaysDate() throws IOException {
        LocalDate before = LocalDate.now();
        ServerLogging.configure(folder.resolve("logs/server_{date}.log").toString(), true);

        log.info("supervisor started worker={}", "api");
        ServerLogging.configure(null, true);

        LocalDate after = LocalDate.now();
        Path file = folder.resolve("logs/server_" + before + ".log");
        if (!Files.exists(file)) {
            file = folder.resolve("logs/server_" + after + ".log");
        }
        assertThat(Files.readAllLines(file)).singleElement().asString()
                .matches(LINE_START + "INFO  ServerLoggingTest supervisor started worker=api");
    }

    @Test
    void writesPatternWithoutDateAsIs() throws IOException {
        Path file = folder.resolve("server.log");
        ServerLogging.configure(file.toString(), true);

        log.warn("worker failed worker={}", "api", new IllegalStateException("boom"));
        ServerLogging.shutdown();

        List<String> lines = Files.readAllLines(file);
        assertThat(lines.get(0)).matches(LINE_START + "WARN  ServerLoggingTest worker failed"
                + " worker=api");
        assertThat(lines.get(1)).isEqualTo("java.lang.IllegalStateException: boom");
    }

    @Test
    void keepsEveryLineOfBurst() throws IOException {
        Path file = folder.resolve("burst.log");
        ServerLogging.configure(file.toString(), true);

        for (int i = 0; i < 20_000; i++) {
            log.info("line={}", i);
        }
        ServerLogging.configure(null, true);

        assertThat(Files.readAllLines(file)).hasSize(20_000);
    }

    @Test
    void quietLeavesOutConsole() {
        String quietOutput = captureStderr(() -> {
            ServerLogging.configure(null, true);
            log.info("quiet line");
        });
        String consoleOutput = captureStderr(() -> {
            ServerLogging.configure(null, false);
            log.info("console line");
        });

        assertThat(quietOutput).isEmpty();
        assertThat(consoleOutput).matches(LINE_START + "INFO  ServerLoggingTest console line\\R");
    }

    @Test
    void keepsNettyDebugOut() {
        String output = captureStderr(() -> {
            ServerLogging.configure(null, false);
            LoggerFactory.getLogger("io.netty.channel.Test").debug("netty detail");
        });

        assertThat(output).isEmpty();
    }

    @Test
    void unopenableFileIsReported() throws IOException {
        Path blocker = Files.writeString(folder.resolve("blocker"), "a file, not a folder");

        assertThatThrownBy(() -> ServerLogging.configure(
                blocker.resolve("server_{date}.log").toString(), true))
                .isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void percentInFilePatternIsRejected() {
        assertThatThrownBy(() -> ServerLogging.configure(
                folder.resolve("100%.log").toString(), true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("100%.log contains % (expected: a file path without %)");
    }

    private static String captureStderr(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
