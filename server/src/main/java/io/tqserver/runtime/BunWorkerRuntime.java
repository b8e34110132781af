package io.tqserver.runtime;

import io.tqserver.config.RunMode;
import io.tqserver.config.WorkerConfig;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Runtime of {@code type: bun} workers: TypeScript or JavaScript run by Bun straight from the
 * worker's folder. A build finds the {@code bun} executable ({@link BunBinary}), runs
 * {@code bun install} when the dependencies changed ({@link BunInstall}) and checks that the
 * entrypoint exists; Bun compiles the sources itself when an instance starts.
 *
 * <p>Limits: {@code runtime.mem_limit} becomes {@code BUN_JSC_forceRAMSize}, which makes the
 * JavaScriptCore garbage collector size its heap for that much RAM. It is a target, not a cap,
 * so the process may still grow past it. {@code runtime.max_procs} is passed on in
 * {@code WORKER_MAX_PROCS} only, because Bun runs JavaScript on one thread.
 */
public final class BunWorkerRuntime implements WorkerRuntime {

    /** JavaScriptCore option, read by Bun from the environment, that sets the assumed RAM. */
    static final String FORCE_RAM_SIZE = "BUN_JSC_forceRAMSize";

    private final WorkerConfig worker;
    private final Map<String, String> environment;
    private final Path workingDirectory;
    private final BunInstall install;

    /**
     * Creates the runtime of one worker.
     *
     * @param environment TQServer's environment, where {@code BUN} and {@code PATH} are read
     * @param workingDirectory TQServer's working directory
     */
    public BunWorkerRuntime(WorkerConfig worker, RunMode mode, Map<String, String> environment,
            Path workingDirectory) {
        this.worker = Objects.requireNonNull(worker, "worker");
        this.environment = Map.copyOf(environment);
        this.workingDirectory = Objects.requireNonNull(workingDirectory, "workingDirectory");
        this.install = new BunInstall(worker.folder(), Objects.requireNonNull(mode, "mode"));
    }

    @Override
    public WorkerBuild build() {
        long startNanos = System.nanoTime();
        String configured = worker.bun().binary();
        Optional<Path> found = BunBinary.locate(configured, environment, workingDirectory);
        if (found.isEmpty()) {
            return WorkerBuild.failed("bun not found in " + BunBinary.searched(configured,
                    environment) + " (expected: run scripts/install-bun.sh, set the "
                    + BunBinary.ENVIRONMENT_VARIABLE + " environment variable or bun.binary)",
                    elapsedSince(startNanos));
        }
        String installFailure = install.installIfChanged(found.get());
        if (installFailure != null) {
            return WorkerBuild.failed(installFailure, elapsedSince(startNanos));
        }
        String entrypoint = worker.bun().entrypoint();
        if (!Files.isRegularFile(worker.folder().resolve(entrypoint))) {
            return WorkerBuild.failed("bun.entrypoint: " + entrypoint + " not found in "
                    + worker.folder(), elapsedSince(startNanos));
        }
        return WorkerBuild.succeeded(found.get(), entrypoint, elapsedSince(startNanos));
    }

    /**
     * Returns {@code bun}, {@code --no-install}, the worker's {@code bun.options} and the
     * entrypoint. {@code --no-install} turns off Bun's auto-install, which would otherwise
     * download missing packages while an instance starts.
     */
    @Override
    public List<String> launchCommand(WorkerBuild build) {
        if (!build.success()) {
            throw new IllegalArgumentException("cannot launch a failed build: " + build.failure());
        }
        List<String> command = new ArrayList<>();
        command.add(build.artifact().toString());
        command.add("--no-install");
        command.addAll(worker.bun().options());
        command.add(build.entryPoint());
        return command;
    }

    @Override
    public Map<String, String> launchEnvironment() {
        Map<String, String> launch = LimitEnvironment.of(worker.runtime());
        if (worker.runtime().memLimitBytes() > 0) {
            launch.put(FORCE_RAM_SIZE, Long.toString(worker.runtime().memLimitBytes()));
        }
        return launch;
    }

    @Override
    public boolean isHealthy(InetSocketAddress address, Duration timeout) {
        return HttpHealthCheck.isHealthy(address, timeout);
    }

    /** Does nothing, because a Bun build leaves no output besides {@code node_modules}. */
    @Override
    public void pruneBuilds(Collection<WorkerBuild> inUse) {
    }

    @Override
    public void close() {
    }

    private static Duration elapsedSince(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
