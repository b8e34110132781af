package io.tqserver.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

class WorkerConfigLoaderTest {

    @TempDir
    Path workers;

    private Path folder;
    private Path file;
    private final ListAppender<ILoggingEvent> warnings = new ListAppender<>();

    @BeforeEach
    void createWorkerFolder() throws IOException {
        folder = workers.resolve("api");
        file = folder.resolve("config").resolve("worker.yaml");
        Files.createDirectories(file.getParent());
        warnings.start();
        yamlSectionLogger().addAppender(warnings);
    }

    @AfterEach
    void detachWarnings() {
        yamlSectionLogger().detachAppender(warnings);
    }

    @Test
    void pathAloneGivesDefaults() throws Exception {
        WorkerConfig config = load("path: /api\n");

        assertThat(config.name()).isEqualTo("api");
        assertThat(config.folder()).isEqualTo(folder);
        assertThat(config.file()).isEqualTo(file);
        assertThat(config.path()).isEqualTo("/api");
        assertThat(config.type()).isEqualTo(WorkerType.JAVA);
        assertThat(config.enabled()).isTrue();
        assertThat(config.runtime()).isEqualTo(WorkerConfig.Runtime.DEFAULTS);
        assertThat(config.timeouts()).isEqualTo(WorkerConfig.Timeouts.DEFAULTS);
        assertThat(config.logFile()).isEqualTo("logs/worker_{name}_{date}.log");
        assertThat(config.java()).isEqualTo(WorkerConfig.Java.DEFAULTS);
        assertThat(config.bun()).isEqualTo(WorkerConfig.Bun.DEFAULTS);
        assertThat(config.exec()).isEqualTo(WorkerConfig.Exec.DEFAULTS);
    }

    @Test
    void readsEveryKey() throws Exception {
        WorkerConfig config = load("""
                path: /shop/
                type: java
                enabled: false
                runtime:
                  max_procs: 4
                  mem_limit: 512MiB
                  max_requests: 10000
                timeouts:
                  read_timeout_seconds: 10
                  write_timeout_seconds: 11
                  idle_timeout_seconds: 12
                logging:
                  log_file: var/{name}.log
                java:
                  main_class: com.example.shop.Main
                  jvm_options: [-Xss512k, "-Dshop.mode=fast"]
                """);

        assertThat(config.path()).isEqualTo("/shop");
        assertThat(config.enabled()).isFalse();
        assertThat(config.runtime()).isEqualTo(new WorkerConfig.Runtime(4, 512L << 20, 10000));
        assertThat(config.timeouts()).isEqualTo(new WorkerConfig.Timeouts(
                Duration.ofSeconds(10), Duration.ofSeconds(11), Duration.ofSeconds(12)));
        assertThat(config.logFile()).isEqualTo("var/{name}.log");
        assertThat(config.java().mainClass()).isEqualTo("com.example.shop.Main");
        assertThat(config.java().jvmOptions()).containsExactly("-Xss512k", "-Dshop.mode=fast");
    }

    @Test
    void readsPhpKeys() throws Exception {
        WorkerConfig config = load("""
                path: /blog
                type: php
                document_root: web
                front_controller: app.php
                php:
                  binary: /usr/sbin/php-fpm8.2
                  config_file: config/php.ini
                  settings:
                    post_max_size: 16M
                    display_errors: Off
                  pool:
                    manager: static
                    min_workers: 2
                    start_workers: 3
                    max_workers: 4
                    max_requests: 50
                    request_timeout: 20
                    idle_timeout: 5
                    listen_address: ::1
                """);

        WorkerConfig.Php php = config.php();
        assertThat(php.documentRoot()).isEqualTo("web");
        assertThat(php.frontController()).isEqualTo("app.php");
        assertThat(php.binary()).isEqualTo("/usr/sbin/php-fpm8.2");
        assertThat(php.configFile()).isEqualTo(Path.of("config/php.ini"));
        assertThat(php.settings()).containsExactly(
                Map.entry("post_max_size", "16M"), Map.entry("display_errors", "Off"));
        assertThat(php.maxBodyBytes()).isEqualTo(16L << 20);
        assertThat(php.pool()).isEqualTo(new WorkerConfig.Pool("static", 2, 4, 3, 50,
                Duration.ofSeconds(20), Duration.ofSeconds(5), "::1"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            php:\\n  pool:\\n    manager: fast | 5: php.pool.manager: fast (expected: one of \
            static, dynamic, ondemand)
            php:\\n  pool:\\n    max_workers: 2\\n    min_workers: 3 | 6: \
            php.pool.min_workers: 3 (expected: an integer from 1 to 2)
            php:\\n  pool:\\n    listen_address: 10.0.0.1 | 5: php.pool.listen_address: \
            10.0.0.1 (expected: a loopback IP address such as 127.0.0.1 or ::1)
            php:\\n  settings:\\n    post_max_size: lots | 5: php.settings.post_max_size: \
            lots (expected: a size such as 8M or 64M)
            document_root: ../x | 3: document_root: ../x (expected: a folder inside the worker \
            folder, such as public)
            front_controller: app.txt | 3: front_controller: app.txt (expected: a .php file \
            inside the document root)
            """)
    void rejectsInvalidPhpKeys(String yaml, String problem) throws Exception {
        write("path: /\ntype: php\n" + yaml.replace("\\n", "\n") + "\n");

        assertThatThrownBy(() -> WorkerConfigLoader.load(folder))
                .hasMessage(file + ":" + problem);
    }

    @ParameterizedTest
    @CsvSource({"java, JAVA", "php, PHP", "bun, BUN", "exec, EXEC"})
    void readsType(String key, WorkerType type) throws Exception {
        String exec = type == WorkerType.EXEC ? "\nexec:\n  command: [./run]" : "";
        assertThat(load("path: /\ntype: " + key + exec).type()).isEqualTo(type);
    }

    @ParameterizedTest
    @CsvSource({
        "/, /",
        "/api, /api",
        "/api/, /api",
        "/a/b/, /a/b",
        "/v1.2/x~y, /v1.2/x~y",
        "/caf%C3%A9, /caf%C3%A9",
        "/a..b, /a..b",
    })
    void normalizesPath(String path, String expected) throws Exception {
        assertThat(load("path: '" + path + "'\n").path()).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"api", "", "/a?b", "/a#b", "/a b", "/a/../b", "/..", "/.", "//",
        "/a//b", "/café", "/100%", "/a\\b"})
    void rejectsInvalidPath(String path) throws Exception {
        write("path: '" + path + "'\n");

        assertThatThrownBy(() -> WorkerConfigLoader.load(folder))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ":1: path: \"" + path.replace("\\", "\\\\")
                        + "\" (expected: a URL path such as / or /api, without ?, #, spaces, //,"
                        + " dot segments or characters that need percent-encoding)");
    }

    @ParameterizedTest
    @CsvSource({
        "512MiB, 536870912",
        "1GiB, 1073741824",
        "256MB, 256000000",
        "1G, 1073741824",
        "1g, 1073741824",
        "64k, 65536",
        "2 MiB, 2097152",
        "1.5GiB, 1610612736",
        "100B, 100",
        "1073741824, 1073741824",
        "0, 0",
        "2TB, 2000000000000",
    })
    void parsesMemLimitUnits(String memLimit, long bytes) throws Exception {
        WorkerConfig config = load("path: /\nruntime:\n  mem_limit: " + memLimit + "\n");

        assertThat(config.runtime().memLimitBytes()).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "12XB", "1.5", "abc", "9999999TiB", "1 0MiB", "MiB"})
    void rejectsInvalidMemLimit(String memLimit) throws Exception {
        write("path: /\nruntime:\n  mem_limit: " + memLimit + "\n");

        assertThatThrownBy(() -> WorkerConfigLoader.load(folder)).hasMessage(file + ":3:"
                + " runtime.mem_limit: " + memLimit
                + " (expected: a size such as 536870912, 512MiB, 1GiB, 256MB or 1G)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"~", "''", ""})
    void logFileOffValuesGiveNull(String value) throws Exception {
        WorkerConfig config = load("path: /\nlogging:\n  log_file: " + value + "\n");

        assertThat(config.logFile()).isNull();
    }

    @Test
    void deprecatedAliasesAreReadWithWarning() throws Exception {
        WorkerConfig config = load("""
                path: /
                runtime:
                  go_max_procs: 3
                  go_mem_limit: 1GiB
                """);

        assertThat(config.runtime().maxProcs()).isEqualTo(3);
        assertThat(config.runtime().memLimitBytes()).isEqualTo(1L << 30);
        assertThat(warnings.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                file + ":3: runtime.go_max_procs is deprecated, use runtime.max_procs",
                file + ":4: runtime.go_mem_limit is deprecated, use runtime.mem_limit");
    }

    @Test
    void aliasWithItsKeyIsRejected() throws Exception {
        write("path: /\nruntime:\n  max_procs: 2\n  go_max_procs: 3\n");

        assertThatThrownBy(() -> WorkerConfigLoader.load(folder)).hasMessage(file
                + ":4: runtime.go_max_procs: 3 (expected: runtime.max_procs alone,"
                + " because runtime.go_max_procs is its deprecated alias)");
    }

    @Test
    void invalidAliasValueNamesAlias() throws Exception {
        write("path: /\nruntime:\n  go_max_procs: -2\n");

        assertThatThrownBy(() -> WorkerConfigLoader.load(folder)).hasMessage(file
                + ":3: runtime.go_max_procs: -2 (expected: an integer of 0 or more)");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            path: /\\ntype: python | 2: type: python (expected: one of java, php, bun, exec)
            path: /\\ntype: JAVA | 2: type: JAVA (expected: one of java, php, bun, exec)
            path: /\\nenabled: maybe | 2: enabled: maybe (expected: true or false)
            path: /\\nenabled: 1 | 2: enabled: 1 (expected: true or false)
            path: [/] | 1: path: a list (expected: a URL path such as / or /api, without ?, #, \
            spaces, //, dot segments or characters that need percent-encoding)
            path: /\\nruntime:\\n  max_procs: -1 | 3: runtime.max_procs: -1 \
            (expected: an integer of 0 or more)
            path: /\\nruntime:\\n  max_requests: -1 | 3: runtime.max_requests: -1 \
            (expected: an integer of 0 or more)
            path: /\\nruntime: 4 | 2: runtime: 4 (expected: a map)
            path: /\\ntimeouts:\\n  read_timeout_seconds: 0 | 3: timeouts.read_timeout_seconds: 0 \
            (expected: an integer of 1 or more)
            path: /\\ntimeouts:\\n  idle_timeout_seconds: x | 3: timeouts.idle_timeout_seconds: x \
            (expected: an integer of 1 or more)
            path: /\\nlogging:\\n  log_file: {a: 1} | 3: logging.log_file: a map (expected: a string)
            path: /\\nlogging:\\n  log_file: 50%.log | 3: logging.log_file: 50%.log \
            (expected: a file path without % and with no placeholder other than {name} and {date})
            path: /\\njava:\\n  main_class: 1app.Main | 3: java.main_class: 1app.Main \
            (expected: a fully qualified class name such as com.example.Main)
            path: /\\njava:\\n  main_class: a.class.B | 3: java.main_class: a.class.B \
            (expected: a fully qualified class name such as com.example.Main)
            path: /\\njava:\\n  jvm_options: -Xmx1g | 3: java.jvm_options: -Xmx1g \
            (expected: a list of strings)
            path: /\\njava:\\n  jvm_options: [a, [b]] | 3: java.jvm_options[1]: a list \
            (expected: a string)
            path: /\\njava:\\n  jvm_options: [a, ~] | 3: java.jvm_options[1]: null \
            (expected: a string)
            path: /\\ntype: bun\\nbun:\\n  entrypoint: /srv/index.ts | 4: bun.entrypoint: \
            /srv/index.ts (expected: a relative path inside the worker folder, such as index.ts \
            or src/server.ts)
            path: /\\ntype: bun\\nbun:\\n  entrypoint: ../x.ts | 4: bun.entrypoint: ../x.ts \
            (expected: a relative path inside the worker folder, such as index.ts or src/server.ts)
            path: /\\ntype: bun\\nbun:\\n  options: --smol | 4: bun.options: --smol \
            (expected: a list of strings)
            path: /\\nbun:\\n  entrypoint: a.ts | 3: bun: a map \
            (expected: no bun section, because type is java, not bun)
            path: /\\ntype: exec\\nexec:\\n  command: [] | 4: exec.command: a list \
            (expected: a list of program and arguments, such as [python3, server.py])
            path: /\\ntype: exec\\nexec:\\n  command: python3 | 4: exec.command: python3 \
            (expected: a list of strings)
            path: /\\ntype: exec\\nexec:\\n  command: [go, ~] | \
            4: exec.command[1]: null (expected: a string)
            path: /\\ntype: exec\\nexec:\\n  build: [make]\\n | 4: exec.command: missing \
            (expected: a list of program and arguments, such as [python3, server.py])
            path: /\\ntype: bun\\nexec:\\n  command: [x] | 4: exec: a map \
            (expected: no exec section, because type is bun, not exec)
            """)
    void invalidValueNamesLineKeyValueAndExpectation(String yaml, String problem)
            throws Exception {
        write(yaml.replace("\\n", "\n"));

        assertThatThrownBy(() -> WorkerConfigLoader.load(folder))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ":" + problem);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            paht: /api | 1: paht: unknown key (did you mean path?)
            path: /\\ntyp: php | 2: typ: unknown key (did you mean type?)
            path: /\\nruntime:\\n  max_proc: 1 | 3: runtime.max_proc: unknown key \
            (did you mean runtime.max_procs?)
            path: /\\nmain_class: a.B | 2: main_class: unknown key (did you mean java.main_class?)
            path: /\\ntype: php\\nphp:\\n  ini: x | 4: php.ini: unknown key (expected: \
            one of binary, config_file, settings, pool)
            """)
    void unknownKeyIsRejectedWithSuggestion(String yaml, String problem) throws Exception {
        write(yaml.replace("\\n", "\n"));

        assertThatThrownBy(() -> WorkerConfigLoader.load(folder))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ":" + problem);
    }

    @Test
    void readsBunAndExecSections() throws Exception {
        WorkerConfig bun = load("""
                path: /api
                type: bun
                bun:
                  binary: /opt/bun/bin/bun
                  entrypoint: src/server.ts
                  options: [--smol]
                """);
        assertThat(bun.bun()).isEqualTo(new WorkerConfig.Bun(
                "/opt/bun/bin/bun", "src/server.ts", List.of("--smol")));

        WorkerConfig exec = load("""
                path: /py
                type: exec
                exec:
                  build: [go, build, -o, bin/server, .]
                  command: [bin/server, --quiet]
                """);
        assertThat(exec.exec().build()).containsExactly("go", "build", "-o", "bin/server", ".");
        assertThat(exec.exec().command()).containsExactly("bin/server", "--quiet");
    }

    @Test
    void execWithoutSectionLacksCommand() throws Exception {
        write("path: /\ntype: exec\n");

        assertThatThrownBy(() -> WorkerConfigLoader.load(folder)).hasMessage(file
                + ": exec.command: missing (expected: a list of program and arguments,"
                + " such as [python3, server.py])");
    }

    @Test
    void missingPathIsRejected() throws Exception {
        write("type: php\n");

        assertThatThrownBy(() -> WorkerConfigLoader.load(folder)).hasMessage(file + ": path:"
                + " missing (expected: a URL path such as / or /api, without ?, #, spaces, //,"
                + " dot segments or characters that need percent-encoding)");
    }

    @Test
    void emptyFileLacksPath() throws Exception {
        write("");

        assertThatThrownBy(() -> WorkerConfigLoader.load(folder))
                .hasMessageStartingWith(file + ": path: missing");
    }

    @Test
    void missingFileIsRejected() {
        assertThatThrownBy(() -> WorkerConfigLoader.load(folder))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ": not found (expected: a worker.yaml that sets at least path)");
    }

    @Test
    void syntaxErrorNamesWorkerFileAndLine() throws Exception {
        write("path: /\nruntime:\n  max_procs: [1\n");

        assertThatThrownBy(() -> WorkerConfigLoader.load(folder))
                .isInstanceOfSatisfying(ConfigException.class,
                        e -> assertThat(e.line()).isEqualTo(4))
                .hasMessageStartingWith(file + ":4: invalid YAML: ");
    }

    @Test
    void nullJavaSettingsGiveDefaults() throws Exception {
        WorkerConfig config = load("path: /\njava:\n  main_class: ~\n  jvm_options:\n");

        assertThat(config.java()).isEqualTo(WorkerConfig.Java.DEFAULTS);
        assertThat(config.java().jvmOptions()).isEqualTo(List.of());
    }

    private WorkerConfig load(String yaml) throws Exception {
        write(yaml);
        return WorkerConfigLoader.load(folder);
    }

    private void write(String yaml) throws IOException {
        Files.writeString(file, yaml);
    }

    private static Logger yamlSectionLogger() {
        return (Logger) LoggerFactory.getLogger(YamlSection.class);
    }
}
