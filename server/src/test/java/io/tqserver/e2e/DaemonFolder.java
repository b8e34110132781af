package io.tqserver.e2e;

import io.tqserver.testing.LoopbackPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Lays out a working directory for a {@code tqserver} under test and launches it there:
 * {@code config/server.yaml}, and workers copied from the repository's {@code workers/} or from
 * the test workers under the test resources {@code e2e/workers/}.
 *
 * <p>Unless a test sets them, the server port is a free port and the worker port range is
 * {@value #PORT_RANGE_SIZE} free ports, so daemons started by other tests or people on the
 * machine never collide with this one.
 *
 * <pre>{@code
 * try (RunningDaemon daemon = DaemonFolder.at(tempDir)
 *         .testWorker("echo", "api", "/api")
 *         .javaOptions("-Xmx64m")
 *         .start()) {
 *     ...
 * }
 * }</pre>
 */
final class DaemonFolder {

    static final int PORT_RANGE_SIZE = 20;

    /** Classpath folder of the test workers' sources, one sub-folder each. */
    private static final String TEST_WORKERS = "/e2e/workers/";

    private final Path folder;
    private final Map<String, Map<String, String>> settings = new LinkedHashMap<>();
    private final List<String> arguments = new ArrayList<>();
    private String serverYaml;
    private String javaOptions;

    private DaemonFolder(Path folder) {
        this.folder = folder;
        int rangeStart = LoopbackPorts.freeRange(PORT_RANGE_SIZE);
        setting("server", "port", LoopbackPorts.freePort());
        setting("workers", "port_range_start", rangeStart);
        setting("workers", "port_range_end", rangeStart + PORT_RANGE_SIZE - 1);
    }

    /** Starts laying out a daemon in {@code folder}, which should be empty. */
    static DaemonFolder at(Path folder) {
        return new DaemonFolder(folder);
    }

    /** Copies {@code workers/name} of the repository, such as the sample {@code index}. */
    DaemonFolder sampleWorker(String name) {
        copyTree(TqServerHome.sampleWorker(name), workerFolder(name));
        return this;
    }

    /**
     * Copies the repository's {@code relativePath}, such as {@code pkg-worker-ts}, to the same
     * place under the folder.
     */
    DaemonFolder repositoryFolder(String relativePath) {
        copyTree(TqServerHome.root().resolve(relativePath), folder.resolve(relativePath));
        return this;
    }

    /**
     * Adds a Java test worker named {@code name} at route {@code route}, with the sources of
     * {@code e2e/workers/source} from the test resources and a {@code worker.yaml} that keeps
     * its JVM small. The same source can serve several workers under different names.
     */
    DaemonFolder testWorker(String source, String name, String route) {
        copyTree(testWorkerSource(source), workerFolder(name));
        file("workers/" + name + "/config/worker.yaml", """
                path: %s
                type: java
                runtime:
                  max_procs: 1
                  mem_limit: 64MiB
                """.formatted(route));
        return this;
    }

    /** Writes {@code content} to {@code relativePath} under the folder, creating parents. */
    DaemonFolder file(String relativePath, String content) {
        Path file = folder.resolve(relativePath);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Sets {@code section.key} in the generated {@code config/server.yaml}. */
    DaemonFolder setting(String section, String key, Object value) {
        settings.computeIfAbsent(section, name -> new LinkedHashMap<>())
                .put(key, String.valueOf(value));
        return this;
    }

    /** Writes {@code text} as {@code config/server.yaml} in place of the generated file. */
    DaemonFolder serverYaml(String text) {
        this.serverYaml = text;
        return this;
    }

    /** Sets {@code TQSERVER_JAVA_OPTS}; by default it is unset and the launcher's apply. */
    DaemonFolder javaOptions(String options) {
        this.javaOptions = options;
        return this;
    }

    /** Adds launcher arguments after {@code --config config/server.yaml}. */
    DaemonFolder arguments(String... extra) {
        arguments.addAll(List.of(extra));
        return this;
    }

    /** Returns the server port that the generated configuration sets. */
    int port() {
        return Integer.parseInt(settings.get("server").get("port"));
    }

    /** Launches the daemon and waits until it logs {@code tqserver ready}. */
    RunningDaemon start() throws IOException {
        RunningDaemon daemon = launch();
        try {
            return daemon.awaitReady();
        } catch (AssertionError e) {
            closeAfterFailure(daemon, e);
            throw e;
        }
    }

    /** Writes the configuration and launches the daemon without waiting for it. */
    RunningDaemon launch() throws IOException {
        Path config = folder.resolve("config").resolve("server.yaml");
        Files.createDirectories(config.getParent());
        Files.writeString(config, serverYaml != null ? serverYaml : generatedServerYaml());

        List<String> command = new ArrayList<>();
        command.add(TqServerHome.launcher().toString());
        command.add("--config");
        command.add("config/server.yaml");
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile());
        builder.environment().remove("TQSERVER_JAVA_OPTS");
        if (javaOptions != null) {
            builder.environment().put("TQSERVER_JAVA_OPTS", javaOptions);
        }
        Path stdout = folder.resolve("tqserver.out");
        Path stderr = folder.resolve("tqserver.err");
        builder.redirectOutput(stdout.toFile());
        builder.redirectError(stderr.toFile());
        builder.redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
        Process process = builder.start();
        return new RunningDaemon(process, folder, stdout, stderr, port(),
                Integer.parseInt(settings.get("workers").get("port_range_start")),
                Integer.parseInt(settings.get("workers").get("port_range_end")));
    }

    private String generatedServerYaml() {
        StringBuilder yaml = new StringBuilder();
        settings.forEach((section, values) -> {
            yaml.append(section).append(":\n");
            values.forEach((key, value) ->
                    yaml.append("  ").append(key).append(": ").append(value).append('\n'));
        });
        return yaml.toString();
    }

    private Path workerFolder(String name) {
        return folder.resolve("workers").resolve(name);
    }

    private static Path testWorkerSource(String source) {
        URL url = DaemonFolder.class.getResource(TEST_WORKERS + source);
        if (url == null) {
            throw new IllegalArgumentException("test worker not found: " + TEST_WORKERS + source);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("test worker folder: " + url, e);
        }
    }

    /** Copies {@code source} into {@code target}, leaving out build output and logs. */
    private static void copyTree(Path source, Path target) {
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path path : paths.toList()) {
                Path relative = source.relativize(path);
                if (relative.startsWith("bin") || relative.startsWith("logs")) {
                    continue;
                }
                Path copy = target.resolve(relative.toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(path, copy, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("copying " + source + " to " + target, e);
        }
    }

    private static java.io.File nullDevice() {
        return new java.io.File("/dev/null");
    }

    private static void closeAfterFailure(RunningDaemon daemon, AssertionError failure) {
        try {
            daemon.close();
        } catch (IOException | InterruptedException | AssertionError e) {
            failure.addSuppressed(e);
        }
    }
}
