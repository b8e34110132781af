package io.tqserver.runtimes;

import io.tqserver.testing.LoopbackPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * A TQServer working directory for one test: {@code config/server.yaml} with free ports,
 * {@code workers/}, and a copy of {@code pkg-worker-ts/} that Bun workers import.
 */
final class TestLayout {

    /** Size of each test's worker port range. */
    static final int WORKER_PORTS = 40;

    private final Path root;
    private final Path home;
    private final int frontPort;

    private TestLayout(Path root, Path home, int frontPort) {
        this.root = root;
        this.home = home;
        this.frontPort = frontPort;
    }

    /** Creates the layout in {@code root}, with a front port and worker range nothing uses. */
    static TestLayout create(Path root) throws IOException {
        Path home = tqserverHome();
        copyTree(home.resolve("pkg-worker-ts"), root.resolve("pkg-worker-ts"));
        int frontPort = LoopbackPorts.freePort();
        int firstWorkerPort = LoopbackPorts.freeRange(WORKER_PORTS);
        Files.createDirectories(root.resolve("config"));
        Files.createDirectories(root.resolve("workers"));
        Files.writeString(root.resolve("config/server.yaml"), """
                server:
                  port: %d
                  log_file: %s
                workers:
                  directory: %s
                  port_range_start: %d
                  port_range_end: %d
                  startup_delay_ms: 0
                  restart_delay_ms: 50
                  shutdown_grace_period_ms: 1000
                """.formatted(frontPort, root.resolve("logs/server_{date}.log"),
                root.resolve("workers"), firstWorkerPort, firstWorkerPort + WORKER_PORTS - 1));
        return new TestLayout(root, home, frontPort);
    }

    /** Copies the repository's {@code workers/name} into the layout and returns the copy. */
    Path copyWorker(String name) throws IOException {
        Path target = worker(name);
        copyTree(home.resolve("workers").resolve(name), target);
        return target;
    }

    /** Writes {@code workers/name/config/worker.yaml}; the log goes to the layout's logs/. */
    Path writeWorkerConfig(String name, String yaml) throws IOException {
        Path file = worker(name).resolve("config/worker.yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, yaml + "logging:\n  log_file: "
                + root.resolve("logs/worker_{name}.log") + "\n");
        return file;
    }

    Path worker(String name) {
        return root.resolve("workers").resolve(name);
    }

    Path root() {
        return root;
    }

    Path home() {
        return home;
    }

    Path serverConfig() {
        return root.resolve("config/server.yaml");
    }

    int frontPort() {
        return frontPort;
    }

    /** Returns the Bun that {@code scripts/install-bun.sh} installed in the repository. */
    Path bun() {
        Path bun = home.resolve("tools/bun/node_modules/.bin/bun");
        if (!Files.isExecutable(bun)) {
            throw new IllegalStateException(bun + " not found: run scripts/install-bun.sh");
        }
        return bun;
    }

    /** Returns the repository root, from the system property that Failsafe sets. */
    static Path tqserverHome() {
        String home = System.getProperty("tqserver.home");
        if (home == null) {
            throw new IllegalStateException("system property tqserver.home is not set");
        }
        return Path.of(home).toAbsolutePath().normalize();
    }

    private static void copyTree(Path source, Path target) throws IOException {
        try (Stream<Path> paths = Files.walk(source)) {
            paths.filter(path -> !source.relativize(path).startsWith("node_modules"))
                    .filter(path -> !source.relativize(path).startsWith("bin"))
                    .forEach(path -> copy(path, target.resolve(source.relativize(path))));
        }
    }

    private static void copy(Path source, Path target) {
        try {
            if (Files.isDirectory(source)) {
                Files.createDirectories(target);
            } else {
                Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
