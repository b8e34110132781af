package io.tqserver.supervisor;

import io.tqserver.build.WorkerClasspath;
import io.tqserver.config.ConfigException;
import io.tqserver.config.RunMode;
import io.tqserver.config.ServerConfig;
import io.tqserver.config.WorkerConfig;
import io.tqserver.config.WorkerConfigLoader;
import io.tqserver.routing.Route;
import io.tqserver.routing.Router;
import io.tqserver.runtime.UnsupportedRuntimeException;
import io.tqserver.runtime.WorkerRuntime;
import io.tqserver.runtime.WorkerRuntimes;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds, starts, health-checks, restarts and stops the worker processes, and publishes a route
 * for each worker in the {@link Router} that the proxy reads. The supervisor never calls the
 * proxy; the {@link io.tqserver.routing.WorkerInstance} in each route is all they share.
 *
 * <p>Workers are the sub-folders of {@code workers.directory} that contain
 * {@code config/worker.yaml}. A worker whose configuration is invalid, whose type has no runtime
 * yet or whose route another worker already serves is logged and left out; the others run.
 */
public final class Supervisor {

    private static final Logger log = LoggerFactory.getLogger(Supervisor.class);

    /** Time that {@link #stop()} allows, on top of the grace period, for a build to end. */
    static final Duration STOP_MARGIN = Duration.ofSeconds(30);

    private volatile ServerConfig config;
    private final RunMode mode;
    private final Router router;
    private final Path workingDirectory;
    private final ScheduledExecutorService timer;
    private final WorkerGroupContext context;
    private final SupervisorSettings live;
    private final HealthMonitor healthMonitor;

    /** Groups by worker name, in folder order; guarded by {@code this}. */
    private final Map<String, WorkerGroup> groups = new LinkedHashMap<>();
    private boolean started;
    private boolean stopped;
    /** The pkg-worker classpath found by {@link #start()}; guarded by {@code this}. */
    private WorkerClasspath classpath;

    /**
     * Creates a supervisor; nothing runs until {@link #start()}.
     *
     * @param clock time source of the restart backoff
     */
    public Supervisor(ServerConfig config, RunMode mode, Router router, Clock clock) {
        this(config, mode, router, clock, ProcessRecords.none());
    }

    /**
     * Creates a supervisor that records its worker processes in {@code processes}; nothing runs
     * until {@link #start()}.
     *
     * @param clock time source of the restart backoff
     */
    public Supervisor(ServerConfig config, RunMode mode, Router router, Clock clock,
            ProcessRecords processes) {
        this.config = Objects.requireNonNull(config, "config");
        this.mode = Objects.requireNonNull(mode, "mode");
        this.router = Objects.requireNonNull(router, "router");
        this.workingDirectory = Path.of("").toAbsolutePath();
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "supervisor-timer");
            thread.setDaemon(true);
            return thread;
        });
        ServerConfig.Workers workers = config.workers();
        PortPool ports = new PortPool(workers.portRangeStart(), workers.portRangeEnd());
        this.live = new SupervisorSettings(workers, config.health());
        this.context = new WorkerGroupContext(live, mode, router, ports, timer,
                Objects.requireNonNull(clock, "clock"), Objects.requireNonNull(processes));
        this.healthMonitor = new HealthMonitor(this::groupsSnapshot, live);
    }

    /**
     * Finds the workers, then builds and starts every enabled one in parallel. Returns once each
     * worker's first instance is ready or has failed; a failed worker keeps retrying with backoff.
     *
     * @throws IllegalStateException when called more than once
     */
    public void start() {
        synchronized (this) {
            if (started) {
                throw new IllegalStateException("supervisor already started");
            }
            started = true;
        }
        Path directory = workingDirectory.resolve(config.workers().directory());
        WorkerClasspath classpath = WorkerClasspath.locate(workingDirectory);
        logClasspath(classpath);
        synchronized (this) {
            this.classpath = classpath;
        }
        List<WorkerGroup> created = createGroups(findWorkerFolders(directory), classpath);

        List<CompletableFuture<SwapResult>> starts = new ArrayList<>();
        synchronized (this) {
            if (stopped) {
                return;
            }
            for (WorkerGroup group : created) {
                groups.put(group.name(), group);
                group.publishRoute();
            }
            for (WorkerGroup group : created) {
                starts.add(group.start());
            }
        }
        healthMonitor.start();
        CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
        long ready = starts.stream().filter(start -> start.join() == SwapResult.SWAPPED).count();
        log.info("supervisor started workers={} ready={}", created.size(), ready);
    }

    /**
     * Builds {@code workerName} again and replaces its instance without dropping a request: the
     * new instance takes the route once healthy, and the old one drains and stops. A failed build
     * keeps the old instance and puts the errors in the route. A swap requested while another
     * runs supersedes it.
     *
     * @return a future of the outcome; it fails with {@link IllegalArgumentException} when no
     *     running worker has that name
     */
    public CompletableFuture<SwapResult> swap(String workerName) {
        WorkerGroup group;
        synchronized (this) {
            group = groups.get(workerName);
        }
        if (group == null) {
            return CompletableFuture.failedFuture(
                    new IllegalArgumentException("worker not found: " + workerName));
        }
        return group.swap();
    }

    /**
     * Applies the {@code workers} and {@code health} sections of a reloaded server
     * configuration to every later start, stop and check. The worker folder is read at start
     * only, so a new {@code workers.directory} is logged as needing a restart.
     */
    public void applySettings(ServerConfig newConfig) {
        ServerConfig.Workers workers = newConfig.workers();
        if (!workers.directory().equals(config.workers().directory())) {
            log.warn("supervisor setting needs a restart workers.directory={} running={}",
                    workers.directory(), config.workers().directory());
        }
        context.ports().resize(workers.portRangeStart(), workers.portRangeEnd());
        live.update(workers, newConfig.health());
        config = newConfig;
    }

    /**
     * Reads the {@code worker.yaml} of {@code workerName} again and, when it differs from the
     * running settings or {@code force} is set, swaps in an instance that runs with it. A file
     * that sets {@code enabled: false} stops the worker and drops its route.
     *
     * @return a future of the outcome; {@link SwapResult#SUPERSEDED} when nothing changed and
     *     nothing was forced, {@link SwapResult#STOPPED} once a disabled worker has stopped
     * @throws IllegalArgumentException when no running worker has that name
     * @throws ConfigException when the file is invalid; the worker keeps its settings
     */
    public CompletableFuture<SwapResult> reloadWorker(String workerName, boolean force)
            throws ConfigException {
        WorkerGroup group;
        synchronized (this) {
            group = groups.get(workerName);
        }
        if (group == null) {
            throw new IllegalArgumentException("worker not found: " + workerName);
        }
        WorkerConfig loaded = WorkerConfigLoader.load(group.config().folder());
        if (!loaded.enabled()) {
            log.info("worker disabled in its worker.yaml, stopping worker={}", workerName);
            return removeWorker(workerName).thenApply(stopped -> SwapResult.STOPPED);
        }
        checkRouteFree(loaded);
        if (loaded.equals(group.config())) {
            return force ? group.swap() : CompletableFuture.completedFuture(SwapResult.SUPERSEDED);
        }
        WorkerRuntime runtime;
        try {
            runtime = WorkerRuntimes.create(loaded, mode,
                    WorkerClasspath.locate(workingDirectory));
        } catch (UnsupportedRuntimeException e) {
            throw new ConfigException(loaded.file(), 0, e.getMessage());
        }
        log.info("worker settings changed, swapping worker={} file={}",
                workerName, loaded.file());
        return group.reconfigure(loaded, runtime);
    }

    private synchronized void checkRouteFree(WorkerConfig loaded) throws ConfigException {
        for (WorkerGroup other : groups.values()) {
            if (!other.name().equals(loaded.name())
                    && other.config().path().equals(loaded.path())) {
                throw new ConfigException(loaded.file(), 0, "path: " + loaded.path()
                        + " (expected: a route no other worker serves; worker " + other.name()
                        + " serves it)");
            }
        }
    }

    /** Returns the groups as a list that later changes to the map leave alone. */
    private synchronized List<WorkerGroup> groupsSnapshot() {
        return List.copyOf(groups.values());
    }

    /** Returns one line per worker: name, state, and the pid and port of its ready instance. */
    public synchronized List<String> describeWorkers() {
        List<String> lines = new ArrayList<>();
        for (WorkerGroup group : groups.values()) {
            var instance = group.currentInstance();
            lines.add("worker=" + group.name() + " state=" + group.state()
                    + (instance == null ? "" : " pid=" + instance.pid() + " port="
                            + instance.port() + " served=" + instance.served()));
        }
        return lines;
    }

    /** Returns the folder that contains one sub-folder per worker, as an absolute path. */
    public Path workersDirectory() {
        return workingDirectory.resolve(config.workers().directory()).normalize();
    }

    /**
     * Applies a change in the folder of {@code workerName}: reads its {@code config/worker.yaml}
     * again and swaps in an instance when the settings changed or {@code force} is set. A
     * worker not running yet is started, and one whose folder or {@code worker.yaml} is gone, or
     * that is now disabled, is stopped. An invalid file is rejected: the error is logged and
     * shown on the route in development mode, and the running instance keeps its settings.
     *
     * @return a future of the outcome, {@link SwapResult#CONFIG_INVALID} when the file was
     *     rejected
     */
    public CompletableFuture<SwapResult> reload(String workerName, boolean force) {
        Path folder = workersDirectory().resolve(workerName);
        WorkerGroup group;
        synchronized (this) {
            group = groups.get(workerName);
        }
        if (!Files.isRegularFile(folder.resolve("config").resolve("worker.yaml"))) {
            if (group == null) {
                return CompletableFuture.completedFuture(SwapResult.STOPPED);
            }
            log.info("worker folder or worker.yaml removed worker={}", workerName);
            return removeWorker(workerName).thenApply(stopped -> SwapResult.STOPPED);
        }
        if (group == null) {
            return addWorker(folder);
        }
        try {
            return reloadWorker(workerName, force);
        } catch (ConfigException e) {
            log.error("worker configuration rejected, previous settings kept worker={}: {}",
                    workerName, e.getMessage());
            group.publishFailure(e.getMessage());
            return CompletableFuture.completedFuture(SwapResult.CONFIG_INVALID);
        }
    }

    /**
     * Returns the worker folders with a {@code config/worker.yaml} whose worker does not run,
     * such as a disabled worker or one added to the workers folder after start-up.
     */
    public List<Path> idleWorkerFolders() {
        List<Path> idle = new ArrayList<>();
        Set<String> running = workerNames();
        for (Path folder : findWorkerFolders(workersDirectory())) {
            if (!running.contains(folder.getFileName().toString())) {
                idle.add(folder);
            }
        }
        return idle;
    }

    /**
     * Starts the worker in {@code folder}, found after start-up, unless its configuration is
     * invalid or disabled or a worker of that name already runs.
     *
     * @return a future of the outcome of its first start
     */
    public CompletableFuture<SwapResult> addWorker(Path folder) {
        String workerName = folder.getFileName().toString();
        WorkerGroup group;
        synchronized (this) {
            if (stopped || classpath == null || groups.containsKey(workerName)) {
                return CompletableFuture.completedFuture(SwapResult.STOPPED);
            }
            Map<String, String> routeOwners = new HashMap<>();
            for (WorkerGroup running : groups.values()) {
                routeOwners.put(running.config().path(), running.name());
            }
            Optional<WorkerGroup> created = createGroup(folder, classpath, routeOwners);
            if (created.isEmpty()) {
                return CompletableFuture.completedFuture(SwapResult.CONFIG_INVALID);
            }
            group = created.get();
            groups.put(workerName, group);
            group.publishRoute();
        }
        log.info("worker added worker={} route={}", workerName, group.config().path());
        return group.start();
    }

    /**
     * Stops {@code workerName} and drops its route, for a worker whose folder was removed or
     * that was disabled. Its instances get SIGTERM, then SIGKILL after
     * {@code workers.shutdown_grace_period_ms}.
     *
     * @return a future that completes once every process of the worker has exited
     */
    public CompletableFuture<Void> removeWorker(String workerName) {
        WorkerGroup group;
        synchronized (this) {
            group = groups.remove(workerName);
        }
        if (group == null) {
            return CompletableFuture.completedFuture(null);
        }
        group.detachRoute();
        router.update(table -> table.without(workerName));
        group.beginStop();
        log.info("worker removed worker={}", workerName);
        Duration allowed = config.workers().shutdownGracePeriod().plus(STOP_MARGIN);
        long deadlineNanos = System.nanoTime() + allowed.toNanos();
        return CompletableFuture.runAsync(() -> group.awaitStopped(deadlineNanos));
    }

    /** Returns the names of the workers that this supervisor runs. */
    public synchronized Set<String> workerNames() {
        return Set.copyOf(groups.keySet());
    }

    /**
     * Stops every instance with SIGTERM, then SIGKILL after
     * {@code workers.shutdown_grace_period_ms}, and returns once every worker process has exited.
     * Later calls return at once.
     */
    public void stop() {
        List<WorkerGroup> stopping;
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
            stopping = List.copyOf(groups.values());
        }
        Duration allowed = config.workers().shutdownGracePeriod().plus(STOP_MARGIN);
        long deadlineNanos = System.nanoTime() + allowed.toNanos();
        healthMonitor.stop();
        for (WorkerGroup group : stopping) {
            group.beginStop();
        }
        for (WorkerGroup group : stopping) {
            group.awaitStopped(deadlineNanos);
        }
        timer.shutdownNow();
        log.info("supervisor stopped workers={}", stopping.size());
    }

    private List<WorkerGroup> createGroups(List<Path> folders, WorkerClasspath classpath) {
        List<WorkerGroup> created = new ArrayList<>();
        Map<String, String> routeOwners = new HashMap<>();
        for (Path folder : folders) {
            createGroup(folder, classpath, routeOwners).ifPresent(created::add);
        }
        return created;
    }

    /** Loads a worker's configuration and creates its group, or logs why it cannot run. */
    private Optional<WorkerGroup> createGroup(
            Path folder, WorkerClasspath classpath, Map<String, String> routeOwners) {
        WorkerConfig worker;
        try {
            worker = WorkerConfigLoader.load(folder);
        } catch (ConfigException e) {
            log.error("worker not started, invalid configuration worker={}: {}",
                    folder.getFileName(), e.getMessage());
            return Optional.empty();
        }
        if (!worker.enabled()) {
            log.info("worker disabled worker={}", worker.name());
            return Optional.empty();
        }
        String owner = routeOwners.putIfAbsent(worker.path(), worker.name());
        if (owner != null) {
            log.error("worker not started worker={} route={}: worker {} already serves the route",
                    worker.name(), worker.path(), owner);
            return Optional.empty();
        }
        try {
            WorkerRuntime runtime = WorkerRuntimes.create(worker, mode, classpath);
            return Optional.of(new WorkerGroup(worker, runtime, context));
        } catch (UnsupportedRuntimeException | IllegalStateException e) {
            log.error("worker not started worker={}: {}", worker.name(), e.getMessage());
            publishFailure(worker, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Publishes a route without an instance for a worker that cannot run, so that its requests
     * get 503 with the reason rather than reaching a shorter route.
     */
    private void publishFailure(WorkerConfig worker, String failure) {
        Route route = new Route(worker.path(), worker.name(), null,
                worker.timeouts().readTimeout(), failure);
        router.update(table -> table.with(route));
    }

    /** Returns the sub-folders of {@code directory} that have a {@code config/worker.yaml}. */
    static List<Path> findWorkerFolders(Path directory) {
        List<Path> folders = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            log.warn("workers folder not found path={}", directory);
            return folders;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                if (Files.isRegularFile(entry.resolve("config").resolve("worker.yaml"))) {
                    folders.add(entry);
                }
            }
        } catch (IOException e) {
            log.error("workers folder not readable path={}", directory, e);
        }
        folders.sort(null);
        return folders;
    }

    private static void logClasspath(WorkerClasspath classpath) {
        if (classpath.isFound()) {
            log.info("worker classpath found origin={} classpath={}",
                    classpath.origin(), classpath.joined());
        } else {
            log.warn("worker classpath {}; Java workers compile against the JDK only",
                    classpath.origin());
        }
    }
}
