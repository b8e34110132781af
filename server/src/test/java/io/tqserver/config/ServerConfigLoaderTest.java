package io.tqserver.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ServerConfigLoaderTest {

    @TempDir
    Path folder;

    @Test
    void missingFileGivesDefaults() throws ConfigException {
        ServerConfig config = ServerConfigLoader.load(folder.resolve("server.yaml"));

        assertThat(config).isEqualTo(ServerConfig.defaults());
        assertThat(config.file()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "# only a comment\n", "---\n", "~\n"})
    void emptyFileGivesDefaults(String yaml) throws Exception {
        Path file = write(yaml);

        ServerConfig config = ServerConfigLoader.load(file);

        assertThat(config.server()).isEqualTo(ServerConfig.Server.DEFAULTS);
        assertThat(config.workers()).isEqualTo(ServerConfig.Workers.DEFAULTS);
        assertThat(config.fileWatcher()).isEqualTo(ServerConfig.FileWatcher.DEFAULTS);
        assertThat(config.file()).isEqualTo(file);
    }

    @Test
    void emptySectionsGiveDefaults() throws Exception {
        ServerConfig config = ServerConfigLoader.load(write("server:\nworkers: ~\n"));

        assertThat(config.server()).isEqualTo(ServerConfig.Server.DEFAULTS);
        assertThat(config.workers()).isEqualTo(ServerConfig.Workers.DEFAULTS);
    }

    @Test
    void readsEveryKey() throws Exception {
        Path file = write("""
                server:
                  port: 8081
                  read_timeout_seconds: 5
                  write_timeout_seconds: 6
                  idle_timeout_seconds: 7
                  log_file: var/log/tq_{date}.log
                  max_request_target_bytes: 4096
                  max_header_bytes: 32768
                  header_timeout_seconds: 3
                  connect_timeout_ms: 250
                  worker_idle_timeout_seconds: 11
                  request_timeout_seconds: 12
                  tunnel_idle_timeout_seconds: 13
                workers:
                  directory: apps
                  port_range_start: 10000
                  port_range_end: 10010
                  startup_delay_ms: 0
                  restart_delay_ms: 250
                  shutdown_grace_period_ms: 2000
                  max_drain_seconds: 20
                file_watcher:
                  debounce_ms: 75
                """);

        ServerConfig config = ServerConfigLoader.load(file);

        assertThat(config.server()).isEqualTo(new ServerConfig.Server(8081,
                Duration.ofSeconds(5), Duration.ofSeconds(6), Duration.ofSeconds(7),
                "var/log/tq_{date}.log", new ServerConfig.ProxyLimits(4096, 32768,
                        Duration.ofSeconds(3), Duration.ofMillis(250), Duration.ofSeconds(11),
                        Duration.ofSeconds(12), Duration.ofSeconds(13))));
        assertThat(config.workers()).isEqualTo(new ServerConfig.Workers(Path.of("apps"), 10000,
                10010, Duration.ZERO, Duration.ofMillis(250), Duration.ofMillis(2000),
                Duration.ofSeconds(20)));
        assertThat(config.fileWatcher().debounce()).isEqualTo(Duration.ofMillis(75));
    }

    @Test
    void keepsDefaultsOfAbsentKeys() throws Exception {
        ServerConfig config = ServerConfigLoader.load(write("server:\n  port: 9090\n"));

        assertThat(config.server().port()).isEqualTo(9090);
        assertThat(config.server().readTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.server().logFile()).isEqualTo("logs/server_{date}.log");
    }

    @ParameterizedTest
    @ValueSource(strings = {"~", "null", "''", "\"\"", ""})
    void logFileOffValuesGiveNull(String value) throws Exception {
        ServerConfig config = ServerConfigLoader.load(write("server:\n  log_file: " + value));

        assertThat(config.server().logFile()).isNull();
    }

    @Test
    void portRangeOfOnePortIsValid() throws Exception {
        ServerConfig config = ServerConfigLoader.load(
                write("workers:\n  port_range_start: 9100\n  port_range_end: 9100\n"));

        assertThat(config.workers().portRangeStart()).isEqualTo(9100);
        assertThat(config.workers().portRangeEnd()).isEqualTo(9100);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            server:\\n  port: 70000 | 2: server.port: 70000 (expected: an integer from 1 to 65535)
            server:\\n  port: 0     | 2: server.port: 0 (expected: an integer from 1 to 65535)
            server:\\n  port: -1    | 2: server.port: -1 (expected: an integer from 1 to 65535)
            server:\\n  port: abc   | 2: server.port: abc (expected: an integer from 1 to 65535)
            server:\\n  port: 80.5  | 2: server.port: 80.5 (expected: an integer from 1 to 65535)
            server:\\n  port: ~     | 2: server.port: null (expected: an integer from 1 to 65535)
            server:\\n  port: [1]   | 2: server.port: a list (expected: an integer from 1 to 65535)
            server:\\n  port: {a: 1} | 2: server.port: a map (expected: an integer from 1 to 65535)
            server:\\n  port: true  | 2: server.port: true (expected: an integer from 1 to 65535)
            server:\\n  port: 99999999999999999999 | 2: server.port: 99999999999999999999 \
            (expected: an integer from 1 to 65535)
            server:\\n  read_timeout_seconds: 0 | 2: server.read_timeout_seconds: 0 \
            (expected: an integer of 1 or more)
            server:\\n  write_timeout_seconds: -5 | 2: server.write_timeout_seconds: -5 \
            (expected: an integer of 1 or more)
            server:\\n  idle_timeout_seconds: 9999999999 | 2: server.idle_timeout_seconds: \
            9999999999 (expected: an integer from 1 to 2147483647)
            server:\\n  log_file: [a] | 2: server.log_file: a list (expected: a string)
            server:\\n  log_file: logs/%d.log | 2: server.log_file: logs/%d.log \
            (expected: a file path without % and with no placeholder other than {date})
            server: [1, 2] | 1: server: a list (expected: a map)
            server: 8080 | 1: server: 8080 (expected: a map)
            workers:\\n  directory: '' | 2: workers.directory: "" (expected: a folder path)
            workers:\\n  directory: {} | 2: workers.directory: a map (expected: a folder path)
            workers:\\n  port_range_start: 0 | 2: workers.port_range_start: 0 \
            (expected: an integer from 1 to 65535)
            workers:\\n  port_range_end: 65536 | 2: workers.port_range_end: 65536 \
            (expected: an integer from 1 to 65535)
            workers:\\n  startup_delay_ms: -1 | 2: workers.startup_delay_ms: -1 \
            (expected: an integer of 0 or more)
            workers:\\n  restart_delay_ms: soon | 2: workers.restart_delay_ms: soon \
            (expected: an integer of 0 or more)
            workers:\\n  shutdown_grace_period_ms: 1.5 | 2: workers.shutdown_grace_period_ms: \
            1.5 (expected: an integer of 0 or more)
            file_watcher:\\n  debounce_ms: -50 | 2: file_watcher.debounce_ms: -50 \
            (expected: an integer of 0 or more)
            - server | 1: a list (expected: a map of keys)
            """)
    void invalidValueNamesLineKeyValueAndExpectation(String yaml, String problem)
            throws Exception {
        Path file = write(yaml.replace("\\n", "\n"));

        assertThatThrownBy(() -> ServerConfigLoader.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ":" + problem);
    }

    @Test
    void quotedNumberIsRejectedAsString() throws Exception {
        Path file = write("server:\n  port: \"8080\"\n");

        assertThatThrownBy(() -> ServerConfigLoader.load(file)).hasMessage(
                file + ":2: server.port: \"8080\" (expected: an integer from 1 to 65535)");
    }

    @Test
    void portRangeEndBelowStartIsRejected() throws Exception {
        Path file = write("workers:\n  port_range_start: 9500\n  port_range_end: 9100\n");

        assertThatThrownBy(() -> ServerConfigLoader.load(file)).hasMessage(file
                + ":3: workers.port_range_end: 9100 (expected: an integer from 9500 to 65535,"
                + " because workers.port_range_start is 9500)");
    }

    @Test
    void portRangeStartAboveDefaultEndIsRejected() throws Exception {
        Path file = write("workers:\n  port_range_start: 10000\n");

        assertThatThrownBy(() -> ServerConfigLoader.load(file)).hasMessage(file
                + ":2: workers.port_range_start: 10000 (expected: an integer from 1 to 9999,"
                + " because workers.port_range_end is 9999)");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            server:\\n  prot: 1                | 2: server.prot: unknown key (did you mean server.port?)
            server:\\n  Port: 1                | 2: server.Port: unknown key (did you mean server.port?)
            server:\\n  idle_timeout: 1        | 2: server.idle_timeout: unknown key \
            (expected: one of port, read_timeout_seconds, write_timeout_seconds, \
            idle_timeout_seconds, log_file, max_request_target_bytes, max_header_bytes, \
            header_timeout_seconds, connect_timeout_ms, worker_idle_timeout_seconds, \
            request_timeout_seconds, tunnel_idle_timeout_seconds, log_max_history, access_log, \
            control_port)
            sever:\\n  port: 1                 | 1: sever: unknown key (did you mean server?)
            port: 8080                         | 1: port: unknown key (did you mean server.port?)
            workers:\\n  debounce_ms: 1        | 2: workers.debounce_ms: unknown key \
            (did you mean file_watcher.debounce_ms?)
            file_watcher:\\n  debounce: 1      | 2: file_watcher.debounce: unknown key \
            (expected: one of debounce_ms)
            workers:\\n  dirctory: apps        | 2: workers.dirctory: unknown key \
            (did you mean workers.directory?)
            """)
    void unknownKeyIsRejectedWithSuggestion(String yaml, String problem) throws Exception {
        Path file = write(yaml.replace("\\n", "\n"));

        assertThatThrownBy(() -> ServerConfigLoader.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ":" + problem);
    }

    @Test
    void duplicateKeyIsRejected() throws Exception {
        Path file = write("server:\n  port: 1\n  port: 2\n");

        assertThatThrownBy(() -> ServerConfigLoader.load(file)).hasMessage(file
                + ":3: server.port: duplicate key (expected: each key once, first set on line 2)");
    }

    @Test
    void syntaxErrorNamesLine() throws Exception {
        Path file = write("server:\n  port: 8080\n bad: 1\n");

        assertThatThrownBy(() -> ServerConfigLoader.load(file))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.file()).isEqualTo(file);
                })
                .hasMessageStartingWith(file + ":3: invalid YAML: ");
    }

    @Test
    void syntaxErrorNamesKeyOfLine() throws Exception {
        Path file = write("server:\n  port: 8080\n  read_timeout_seconds: 30: 5\n");

        assertThatThrownBy(() -> ServerConfigLoader.load(file))
                .hasMessage(file + ":3: invalid YAML: mapping values are not allowed here"
                        + " (key: server.read_timeout_seconds)");
    }

    @Test
    void syntaxErrorNamesContextLine() throws Exception {
        Path file = write("server:\n  port: 8080\n  read_timeout_seconds 30\n  x: 1\n");

        assertThatThrownBy(() -> ServerConfigLoader.load(file)).hasMessage(file
                + ":4: invalid YAML: could not find expected ':'"
                + " (while scanning a simple key on line 3)");
    }

    @Test
    void tabIndentationIsRejected() throws Exception {
        Path file = write("server:\n\tport: 1\n");

        assertThatThrownBy(() -> ServerConfigLoader.load(file))
                .hasMessageStartingWith(file + ":2: invalid YAML: ");
    }

    @Test
    void javaTagIsNeverConstructed() throws Exception {
        Path file = write("server: !!java.net.URL [\"http://127.0.0.1/\"]\n");

        assertThatThrownBy(() -> ServerConfigLoader.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + ":1: invalid YAML: ");
    }

    @Test
    void manyCollectionAliasesAreRejected() throws Exception {
        StringBuilder yaml = new StringBuilder("a: &a [x]\nb: [");
        for (int i = 0; i < 50; i++) {
            yaml.append("*a, ");
        }
        yaml.append("*a]\n");
        Path file = write(yaml.toString());

        assertThatThrownBy(() -> ServerConfigLoader.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + ": invalid YAML: ");
    }

    @Test
    void invalidUtf8IsRejected() throws Exception {
        Path file = write("");
        Files.write(file, new byte[] {'a', ':', ' ', (byte) 0xC3, (byte) 0x28, '\n'});

        assertThatThrownBy(() -> ServerConfigLoader.load(file))
                .hasMessage(file + ": invalid text (expected: UTF-8)");
    }

    @Test
    void folderInPlaceOfFileIsRejected() throws Exception {
        Path file = Files.createDirectories(folder.resolve("server.yaml"));

        assertThatThrownBy(() -> ServerConfigLoader.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + ": read failed: ");
    }

    private Path write(String yaml) throws IOException {
        Path file = folder.resolve("config").resolve("server.yaml");
        Files.createDirectories(file.getParent());
        return Files.writeString(file, yaml, StandardCharsets.UTF_8);
    }
}
