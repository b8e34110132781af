package io.tqserver.runtime;

import io.tqserver.config.RunMode;
import io.tqserver.config.WorkerConfig;
import io.tqserver.fastcgi.FastCgiPing;
import io.tqserver.logging.WorkerLogs;
import io.tqserver.logging.WorkerOutput;
import io.tqserver.routing.WorkerProtocol;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runtime of {@code type: php} workers: each instance is a php-fpm master with its pool of
 * children, reached by the proxy over FastCGI. The build writes {@code bin/php-fpm.conf} and the
 * launcher script {@code bin/php-fpm-launch.sh} into the worker folder; health is php-fpm's ping
 * page requested over FastCGI.
 *
 * <p>The launcher runs php-fpm in the foreground under {@code setsid}, so that the instance's
 * process is the php-fpm master and a watchdog in its process group stops every php-fpm
 * process when TQServer exits, even by SIGKILL: the watchdog reads the instance's standard
 * input, which the supervisor keeps open, and sees end of file once TQServer is gone.
 */
public final class PhpFpmRuntime implements WorkerRuntime {

    /** Folder of the php-fpm executables from Debian's {@code php*-fpm} packages are installed. */
    static final Path SYSTEM_BINARIES = Path.of("/usr/sbin");
    private static final Pattern FPM_NAME = Pattern.compile("php-fpm([0-9]+(\\.[0-9]+)*)?");
    private static final String LAUNCHER = "php-fpm-launch.sh";

    private final WorkerConfig worker;
    private final RunMode mode;
    private final Path binFolder;
    private final WorkerOutput errorLog;
    private final WorkerProtocol.FastCgi protocol;

    public PhpFpmRuntime(WorkerConfig worker, RunMode mode) {
        this.worker = Objects.requireNonNull(worker, "worker");
        this.mode = Objects.requireNonNull(mode, "mode");
        this.binFolder = worker.folder().resolve("bin");
        this.errorLog = WorkerLogs.open(worker.name(), worker.logFile(), worker.logMaxHistory());
        WorkerConfig.Php php = worker.php();
        Path documentRoot = worker.folder().toAbsolutePath().resolve(php.documentRoot());
        // One child stays out of the proxy's reach for the health check, which would otherwise
        // wait behind idle pooled connections that hold every child.
        int maxConnections = Math.max(1, php.pool().maxWorkers() - 1);
        this.protocol = new WorkerProtocol.FastCgi(realPath(documentRoot),
                php.frontController(), php.maxBodyBytes(), maxConnections, errorLog::write);
    }

    @Override
    public WorkerBuild build() {
        long start = System.nanoTime();
        Optional<String> failure = check();
        if (failure.isPresent()) {
            return WorkerBuild.failed(failure.get(), elapsedSince(start));
        }
        String binary = binary().orElseThrow();
        try {
            Files.createDirectories(binFolder);
            Path config = binFolder.resolve("php-fpm.conf");
            Files.writeString(config, PhpFpmConfig.render(worker, mode, poolUser()));
            writeLauncher();
            return WorkerBuild.succeeded(config, binary, elapsedSince(start));
        } catch (IOException e) {
            return WorkerBuild.failed("cannot write the php-fpm configuration to " + binFolder
                    + ": " + e.getMessage(), elapsedSince(start));
        }
    }

    /** Returns why the worker cannot start, when something it needs is missing. */
    private Optional<String> check() {
        WorkerConfig.Php php = worker.php();
        if (binary().isEmpty()) {
            return Optional.of(php.binary() != null
                    ? worker.file() + ": php.binary: " + php.binary() + " is not executable"
                    : "php-fpm not found in " + SYSTEM_BINARIES + " (install a php-fpm"
                            + " package such as php8.2-fpm, or set php.binary)");
        }
        if (!Files.isDirectory(protocol.documentRoot())) {
            return Optional.of(worker.file() + ": document_root: " + php.documentRoot()
                    + " is not a folder in " + worker.folder());
        }
        if (php.configFile() != null
                && !Files.isRegularFile(worker.folder().resolve(php.configFile()))) {
            return Optional.of(worker.file() + ": php.config_file: " + php.configFile()
                    + " not found in " + worker.folder());
        }
        return Optional.empty();
    }

    /**
     * Returns {@code setsid}, the launcher, php-fpm and its options: {@code -F} to stay in the
     * foreground, {@code -y} for the written configuration, {@code -c} for
     * {@code php.config_file}, and {@code -R} when running as root, which php-fpm refuses
     * otherwise.
     */
    @Override
    public List<String> launchCommand(WorkerBuild build) {
        if (!build.success()) {
            throw new IllegalArgumentException("cannot launch a failed build: " + build.failure());
        }
        List<String> command = new ArrayList<>(List.of("setsid",
                binFolder.resolve(LAUNCHER).toAbsolutePath().toString(), build.entryPoint(),
                "-F", "-y", build.artifact().toAbsolutePath().toString()));
        if (worker.php().configFile() != null) {
            command.add("-c");
            command.add(worker.folder().resolve(worker.php().configFile()).toAbsolutePath()
                    .toString());
        }
        if (isRoot()) {
            command.add("-R");
        }
        return command;
    }

    @Override
    public boolean isHealthy(InetSocketAddress address, Duration timeout) {
        return FastCgiPing.isHealthy(address, PhpFpmConfig.PING_PATH,
                PhpFpmConfig.PING_RESPONSE, timeout);
    }

    @Override
    public WorkerProtocol protocol() {
        return protocol;
    }

    @Override
    public InetSocketAddress address(int port) {
        return new InetSocketAddress(worker.php().pool().listenAddress(), port);
    }

    @Override
    public boolean keepsStandardInputOpen() {
        return true;
    }

    @Override
    public void pruneBuilds(Collection<WorkerBuild> inUse) {
        // Every build rewrites the same two files, so there is nothing to delete.
    }

    @Override
    public void close() {
        errorLog.close();
    }

    /** Returns {@code php.binary}, or the php-fpm in /usr/sbin with the highest version. */
    Optional<String> binary() {
        String configured = worker.php().binary();
        if (configured != null) {
            return Files.isExecutable(Path.of(configured)) ? Optional.of(configured)
                    : Optional.empty();
        }
        try (Stream<Path> files = Files.list(SYSTEM_BINARIES)) {
            return files.filter(file -> FPM_NAME.matcher(file.getFileName().toString()).matches())
                    .filter(Files::isExecutable)
                    .max(Comparator.comparing(file -> versionKey(file.getFileName().toString())))
                    .map(Path::toString);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Pads each number of a name such as {@code php-fpm8.10} so that names sort by version. */
    private static String versionKey(String name) {
        StringBuilder key = new StringBuilder();
        for (String part : name.replace("php-fpm", "").split("\\.")) {
            key.append(String.format("%06d", part.isEmpty() ? 0 : Integer.parseInt(part)));
        }
        return key.toString();
    }

    private void writeLauncher() throws IOException {
        Path launcher = binFolder.resolve(LAUNCHER);
        try (InputStream script = PhpFpmRuntime.class.getResourceAsStream(LAUNCHER)) {
            if (script == null) {
                throw new IOException(LAUNCHER + " missing from the TQServer jar");
            }
            Files.copy(script, launcher, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /**
     * Returns the owner and group of the document root as the pool's user when running as
     * root, so that scripts run as the user who owns them, or {@code null} otherwise.
     */
    private String[] poolUser() throws IOException {
        if (!isRoot()) {
            return null;
        }
        PosixFileAttributes attributes =
                Files.readAttributes(protocol.documentRoot(), PosixFileAttributes.class);
        return new String[] {attributes.owner().getName(), attributes.group().getName()};
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.normalize();
        }
    }

    private static Duration elapsedSince(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
