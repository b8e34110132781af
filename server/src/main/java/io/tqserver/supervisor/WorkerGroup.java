package io.tqserver.supervisor;

import io.tqserver.config.WorkerConfig;
import io.tqserver.logging.WorkerLogs;
import io.tqserver.routing.Route;
import io.tqserver.routing.WorkerInstance;
import io.tqserver.runtime.WorkerBuild;
import io.tqserver.runtime.WorkerRuntime;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the instances of one worker: builds it, starts an instance on a port from the pool, waits
 * for its health check, publishes it in the worker's route, restarts it with backoff when it
 * exits unexpectedly, and swaps in a new instance on request.
 *
 * <p>Operations that build or start an instance (first start, restart, swap) run one at a time
 * on the group's own thread. Process exits arrive on the shared timer thread; the fields they
 * change are guarded by the group's monitor.
 */
final class WorkerGroup {

    private static final Logger log = LoggerFactory.getLogger(WorkerGroup.class);

    /** Lifecycle of the group as a whole. */
    enum State {
        /** The first instance is being built and started. */
        STARTING,
        /** An instance is ready and in the route. */
        RUNNING,
        /** No instance is ready and a restart is scheduled. */
        BACKING_OFF,
        /** Instances are being stopped and no new ones start. */
        STOPPING,
        /** Every process of the worker has exited. */
        STOPPED
    }

    /** How long an instance may take to pass its first health check. */
    static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
    static final Duration PROBE_INTERVAL = Duration.ofMillis(10);
    /** Health check interval in the first {@link #FAST_PROBE_WINDOW} of a start. */
    static final Duration FAST_PROBE_INTERVAL = Duration.ofMillis(5);
    /** Time after a start in which a standby usually binds its port, so polls come faster. */
    static final Duration FAST_PROBE_WINDOW = Duration.ofMillis(500);
    static final Duration PROBE_TIMEOUT = Duration.ofMillis(250);

    /** Swap id of operations that no swap request can supersede. */
    private static final long NO_SWAP = 0;

    /** Replaced by {@link #reconfigure} on the group's thread; read from any thread. */
    private volatile WorkerConfig config;
    private volatile WorkerRuntime runtime;
    private final WorkerGroupContext context;
    private final RestartBackoff backoff;
    private final ExecutorService operations;
    private final AtomicLong latestSwap = new AtomicLong(NO_SWAP);

    private State state = State.STARTING;
    /** The READY instance in the route, or null. */
    private WorkerProcess current;
    /** Every process started that has not exited yet, including current. */
    private final Set<WorkerProcess> live = new HashSet<>();
    /** Error output of the latest build when it failed, or null. */
    private String buildFailure;
    /** The process that the next launch hands its build to, or null; see StandbyProcess. */
    private StandbyProcess standby;
    /** The standby that {@link #beginStop} discarded, for {@link #awaitStopped} to wait for. */
    private StandbyProcess stoppingStandby;
    /** Failure text logged last, so that a repeated failure is logged without its text. */
    private String lastLoggedFailure;
    private ScheduledFuture<?> pendingRestart;
    /** Whether the worker was removed, so its route is no longer this group's to publish. */
    private boolean routeDetached;

    WorkerGroup(WorkerConfig config, WorkerRuntime runtime, WorkerGroupContext context) {
        this.config = config;
        this.runtime = runtime;
        this.context = context;
        this.backoff = new RestartBackoff(context.clock());
        this.operations = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "worker-" + config.name());
            thread.setDaemon(true);
            return thread;
        });
    }

    String name() {
        return config.name();
    }

    synchronized State state() {
        return state;
    }

    WorkerConfig config() {
        return config;
    }

    /** Returns the READY instance in the route, or null. */
    synchronized WorkerInstance currentInstance() {
        return current == null ? null : current.instance();
    }

    /** Sends one health check to {@code instance} through the worker's runtime. */
    boolean isHealthy(WorkerInstance instance, Duration timeout) {
        return runtime.isHealthy(instance.address(), timeout);
    }

    /** Publishes the route with its current instance, or none, so the proxy returns 503. */
    synchronized void publishRoute() {
        if (routeDetached) {
            return;
        }
        Route route = new Route(config.path(), config.name(),
                current == null ? null : current.instance(), config.timeouts().readTimeout(),
                buildFailure);
        context.router().update(table -> table.with(route));
    }

    /** Shows {@code failure} on the route in place of the worker's responses, in development. */
    synchronized void publishFailure(String failure) {
        buildFailure = failure;
        publishRoute();
    }

    /** Stops publishing the route, for a worker whose route the supervisor drops. */
    synchronized void detachRoute() {
        routeDetached = true;
    }

    /**
     * Builds and starts the first instance; on failure, schedules a restart.
     *
     * @return a future of {@link SwapResult#SWAPPED} once the instance is ready, or of the
     *     reason it is not
     */
    CompletableFuture<SwapResult> start() {
        return submit(() -> replaceAndRecover(NO_SWAP), SwapResult.STOPPED);
    }

    /**
     * Builds the worker and replaces its instance by a new one, keeping the old instance in the
     * route when the build or the start fails. A later request supersedes this one.
     */
    CompletableFuture<SwapResult> swap() {
        long swapId = latestSwap.incrementAndGet();
        return submit(() -> {
            if (isSuperseded(swapId)) {
                return SwapResult.SUPERSEDED;
            }
            return replaceAndRecover(swapId);
        }, SwapResult.STOPPED);
    }

    /**
     * Switches to new settings, then swaps in an instance built and started with them. The
     * route takes the new settings at once, so new timeouts apply to the next request. When the
     * new instance fails to start, the old one keeps serving and later restarts use the new
     * settings.
     */
    CompletableFuture<SwapResult> reconfigure(WorkerConfig newConfig, WorkerRuntime newRuntime) {
        long swapId = latestSwap.incrementAndGet();
        return submit(() -> {
            WorkerRuntime oldRuntime = runtime;
            config = newConfig;
            runtime = newRuntime;
            publishRoute();
            oldRuntime.close();
            if (isSuperseded(swapId)) {
                return SwapResult.SUPERSEDED;
            }
            return replaceAndRecover(swapId);
        }, SwapResult.STOPPED);
    }

    /**
     * Replaces {@code expected} by a new instance of the same build, blue/green: the old
     * instance serves until the new one is ready, then drains. Does nothing when
     * {@code expected} is no longer the instance in the route.
     *
     * @param reason why the instance is replaced, for the log
     */
    CompletableFuture<SwapResult> replace(WorkerInstance expected, String reason) {
        return submit(() -> {
            WorkerProcess replaced;
            synchronized (this) {
                replaced = current;
            }
            if (replaced == null || replaced.instance() != expected || isStopping()) {
                return SwapResult.SUPERSEDED;
            }
            log.info("worker replacing instance worker={} pid={} port={} reason={}",
                    name(), replaced.pid(), replaced.port(), reason);
            WorkerProcess next = launch(replaced.build());
            if (next == null) {
                return SwapResult.START_FAILED;
            }
            if (!awaitReady(next)) {
                next.kill();
                return isStopping() ? SwapResult.STOPPED : SwapResult.START_FAILED;
            }
            SwapResult result = promote(next);
            prepareStandby();
            return result;
        }, SwapResult.STOPPED);
    }

    /** Stops restarts and sends SIGTERM to every process; {@link #awaitStopped} waits for them. */
    void beginStop() {
        List<WorkerProcess> running;
        StandbyProcess discarded;
        synchronized (this) {
            if (isStopping()) {
                return;
            }
            transition(State.STOPPING);
            cancelPendingRestart();
            current = null;
            publishRoute();
            running = List.copyOf(live);
            discarded = standby;
            stoppingStandby = standby;
            standby = null;
        }
        if (discarded != null) {
            discarded.discard();
        }
        operations.shutdown();
        for (WorkerProcess process : running) {
            process.terminate(context.settings().shutdownGracePeriod(), context.timer());
        }
    }

    /**
     * Waits until the operation in progress has ended and every process has exited, sending
     * SIGKILL to any process still alive at {@code deadlineNanos}.
     */
    void awaitStopped(long deadlineNanos) {
        boolean operationsEnded = awaitOperations(deadlineNanos);
        List<WorkerProcess> remaining;
        synchronized (this) {
            remaining = List.copyOf(live);
        }
        for (WorkerProcess process : remaining) {
            awaitExit(process, deadlineNanos);
        }
        awaitStandbyExit(deadlineNanos);
        if (operationsEnded) {
            runtime.close();
        }
        synchronized (this) {
            transition(State.STOPPED);
        }
        log.info("worker stopped worker={}", name());
    }

    /** Runs a replacement and schedules a restart when the worker is left without an instance. */
    private SwapResult replaceAndRecover(long swapId) {
        SwapResult result;
        try {
            result = replaceInstance(swapId);
        } catch (RuntimeException e) {
            log.error("worker operation failed worker={}", name(), e);
            result = SwapResult.START_FAILED;
        }
        if (result == SwapResult.BUILD_FAILED || result == SwapResult.START_FAILED) {
            scheduleRestart();
        }
        pruneBuilds();
        prepareStandby();
        return result;
    }

    /**
     * Builds the worker, starts an instance, waits until it is healthy, then moves the route to
     * it and retires the instance it replaces.
     */
    private SwapResult replaceInstance(long swapId) {
        if (isStopping()) {
            return SwapResult.STOPPED;
        }
        WorkerBuild build = build();
        if (!build.success()) {
            return SwapResult.BUILD_FAILED;
        }
        if (isSuperseded(swapId)) {
            return SwapResult.SUPERSEDED;
        }

        WorkerProcess next = launch(build);
        if (next == null) {
            return SwapResult.START_FAILED;
        }
        if (!awaitReady(next)) {
            next.kill();
            return isStopping() ? SwapResult.STOPPED : SwapResult.START_FAILED;
        }
        if (isSuperseded(swapId)) {
            log.info("worker instance discarded, a newer swap was requested worker={} pid={}",
                    name(), next.pid());
            next.terminate(context.settings().shutdownGracePeriod(), context.timer());
            return SwapResult.SUPERSEDED;
        }
        return promote(next);
    }

    private WorkerBuild build() {
        WorkerBuild build = runtime.build();
        long millis = build.elapsed().toMillis();
        // In production a Java worker's build only checks its jar, so the log names that step instead of a build.
        String step = runtime.checksPrebuiltArtifact() ? "artifact check" : "build";
        synchronized (this) {
            String serving = current == null ? "" : ", pid " + current.pid() + " keeps serving";
            if (build.success()) {
                log.info("worker {} worker={} in {} ms", runtime.checksPrebuiltArtifact()
                        ? "artifact found" : "built", name(), millis);
                lastLoggedFailure = null;
            } else if (build.failure().equals(lastLoggedFailure)) {
                log.warn("worker {} failed worker={} in {} ms{}, same errors as before",
                        step, name(), millis, serving);
            } else {
                log.warn("worker {} failed worker={} in {} ms{}\n{}",
                        step, name(), millis, serving, build.failure());
                lastLoggedFailure = build.failure();
            }
            buildFailure = build.failure();
            publishRoute();
        }
        return build;
    }

    /**
     * Starts an instance of {@code build}: on the standby when there is one started with the
     * current settings, else as a new process on a free port. Returns null when it cannot.
     */
    private WorkerProcess launch(WorkerBuild build) {
        WorkerProcess onStandby = launchOnStandby(build);
        if (onStandby != null) {
            return onStandby;
        }
        OptionalInt port = context.ports().acquire();
        if (port.isEmpty()) {
            log.warn("worker start failed worker={}: no free port in {}",
                    name(), context.ports().range());
            return null;
        }
        ProcessBuilder builder = processBuilder(runtime.launchCommand(build), port.getAsInt());
        long startNanos = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            context.ports().release(port.getAsInt());
            log.warn("worker start failed worker={} port={} command={}",
                    name(), port.getAsInt(), builder.command().get(0), e);
            return null;
        }
        WorkerProcess started = track(process, build, port.getAsInt(), startNanos);
        log.info("worker started worker={} pid={} port={}", name(), started.pid(), started.port());
        return started;
    }

    /**
     * Hands {@code build} to the standby, or returns null when there is none, it was started
     * with other settings, or it has exited; the standby is used up either way.
     */
    private WorkerProcess launchOnStandby(WorkerBuild build) {
        StandbyProcess candidate;
        synchronized (this) {
            candidate = standby;
            standby = null;
        }
        if (candidate == null) {
            return null;
        }
        Optional<StandbyProcess.Launch> expected = standbyLaunch();
        if (expected.isEmpty() || !expected.get().equals(candidate.launch())) {
            log.info("worker standby discarded, settings changed worker={} pid={} port={}",
                    name(), candidate.pid(), candidate.port());
            candidate.discard();
            return null;
        }
        long startNanos = System.nanoTime();
        if (!candidate.handOff(runtime.standbyHandoff(build))) {
            log.warn("worker standby exited, starting a new process worker={} pid={} port={}",
                    name(), candidate.pid(), candidate.port());
            return null;
        }
        WorkerProcess started = watch(candidate.process(), build, candidate.port(), startNanos, true);
        log.info("worker started on standby worker={} pid={} port={}",
                name(), started.pid(), started.port());
        return started;
    }

    /**
     * Starts a standby for the next launch in the background, when the runtime has one, an
     * instance is in the route and no live standby is waiting.
     */
    private void prepareStandby() {
        Optional<StandbyProcess.Launch> launch = standbyLaunch();
        if (launch.isEmpty()) {
            return;
        }
        synchronized (this) {
            if (isStopping() || current == null
                    || (standby != null && standby.process().isAlive())) {
                return;
            }
        }
        OptionalInt port = context.ports().acquire();
        if (port.isEmpty()) {
            log.warn("worker standby not started worker={}: no free port in {}",
                    name(), context.ports().range());
            return;
        }
        ProcessBuilder builder = processBuilder(launch.get().command(), port.getAsInt());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            context.ports().release(port.getAsInt());
            log.warn("worker standby not started worker={} port={} command={}",
                    name(), port.getAsInt(), builder.command().get(0), e);
            return;
        }
        OutputPump.start(process,
                WorkerLogs.open(config.name(), config.logFile(), config.logMaxHistory()), name());
        context.processes().add(config.name(), port.getAsInt(), process);
        long pid = process.pid();
        int leased = port.getAsInt();
        StandbyProcess started = new StandbyProcess(process, leased, launch.get(), () -> {
            context.ports().release(leased);
            context.processes().remove(pid);
        });
        boolean stopping;
        synchronized (this) {
            stopping = isStopping();
            if (!stopping) {
                standby = started;
            }
        }
        if (stopping) {
            started.discard();
            return;
        }
        log.info("worker standby started worker={} pid={} port={}", name(), pid, leased);
    }

    /** Returns how a standby started now would be launched, or empty without a standby. */
    private Optional<StandbyProcess.Launch> standbyLaunch() {
        return runtime.standbyCommand().map(command ->
                new StandbyProcess.Launch(command, instanceEnvironment(), config.folder()));
    }

    private ProcessBuilder processBuilder(List<String> command, int port) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.directory(config.folder().toFile());
        builder.redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment.putAll(instanceEnvironment());
        environment.put("WORKER_PORT", Integer.toString(port));
        return builder;
    }

    /** Returns the variables that each instance gets, except {@code WORKER_PORT}. */
    private Map<String, String> instanceEnvironment() {
        Map<String, String> environment = new HashMap<>(runtime.launchEnvironment());
        environment.put("WORKER_NAME", config.name());
        environment.put("WORKER_ROUTE", config.path());
        environment.put("WORKER_MODE", context.mode().workerMode());
        environment.put("TQSERVER_PID", Long.toString(ProcessHandle.current().pid()));
        environment.put("WORKER_SHUTDOWN_GRACE_MS",
                Long.toString(context.settings().shutdownGracePeriod().toMillis()));
        return environment;
    }

    /** Registers a new process so that its output is logged and its exit handled. */
    private WorkerProcess track(Process process, WorkerBuild build, int port, long startNanos) {
        if (!runtime.keepsStandardInputOpen()) {
            closeInput(process);
        }
        OutputPump.start(process,
                WorkerLogs.open(config.name(), config.logFile(), config.logMaxHistory()), name());
        context.processes().add(config.name(), port, process);
        return watch(process, build, port, startNanos, false);
    }

    /** Makes {@code process} a live instance of this group whose exit the group handles. */
    private WorkerProcess watch(Process process, WorkerBuild build, int port, long startNanos,
            boolean onStandby) {
        WorkerInstance instance =
                new WorkerInstance(config.name(), runtime.address(port), runtime.protocol());
        instance.pid(process.pid());
        WorkerProcess started =
                new WorkerProcess(process, instance, build, startNanos, onStandby);

        boolean stopping;
        synchronized (this) {
            live.add(started);
            stopping = isStopping();
        }
        process.onExit().whenCompleteAsync((exited, error) -> handleExit(started),
                context.timer());
        if (stopping) {
            started.terminate(context.settings().shutdownGracePeriod(), context.timer());
        }
        return started;
    }

    /**
     * Polls {@code GET /health} until it has returned 200 {@code health.healthy_threshold}
     * times in a row, then waits out the rest of {@code workers.startup_delay_ms}. Gives up when
     * the process exits, the group stops or {@link #STARTUP_TIMEOUT} passes.
     */
    private boolean awaitReady(WorkerProcess started) {
        long deadline = started.startNanos() + STARTUP_TIMEOUT.toNanos();
        int passes = 0;
        while (passes < context.health().healthyThreshold()) {
            if (runtime.isHealthy(started.instance().address(), PROBE_TIMEOUT)) {
                passes++;
                if (passes < context.health().healthyThreshold()
                        && !sleep(probeInterval(started))) {
                    return false;
                }
                continue;
            }
            passes = 0;
            if (!started.process().isAlive()) {
                logExitedDuringStart(started);
                return false;
            }
            if (isStopping() || !sleep(probeInterval(started))) {
                return false;
            }
            if (System.nanoTime() - deadline > 0) {
                log.warn("worker start timed out worker={} pid={} port={} timeout_ms={}:"
                        + " GET /health did not return 200", name(), started.pid(),
                        started.port(), STARTUP_TIMEOUT.toMillis());
                return false;
            }
        }
        started.recordHealthy();
        long earliestReady = started.startNanos() + context.settings().startupDelay().toNanos();
        if (!sleep(earliestReady - System.nanoTime())) {
            return false;
        }
        if (!started.process().isAlive()) {
            logExitedDuringStart(started);
            return false;
        }
        return true;
    }

    /** Returns the nanoseconds to wait before the next health check of {@code started}. */
    private static long probeInterval(WorkerProcess started) {
        boolean early = System.nanoTime() - started.startNanos() < FAST_PROBE_WINDOW.toNanos();
        return (early ? FAST_PROBE_INTERVAL : PROBE_INTERVAL).toNanos();
    }

    /** Moves the route to {@code next} and retires the instance it replaces. */
    private SwapResult promote(WorkerProcess next) {
        WorkerProcess previous;
        synchronized (this) {
            if (isStopping()) {
                next.terminate(context.settings().shutdownGracePeriod(), context.timer());
                return SwapResult.STOPPED;
            }
            previous = current;
            if (previous != null) {
                previous.expectExit();
            }
            next.instance().markReady();
            current = next;
            cancelPendingRestart();
            transition(State.RUNNING);
            publishRoute();
        }
        backoff.instanceReady();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - next.startNanos());
        log.info("worker ready worker={} pid={} port={} in {} ms",
                name(), next.pid(), next.port(), millis);
        if (previous != null) {
            // The parts of a swap's time: compiling, starting the process (or handing the
            // build to the standby) until its first 200 from GET /health, then waiting out
            // startup_delay_ms.
            log.info("worker swapped worker={} pid={} port={} old_pid={} old_port={} build_ms={}"
                    + " start_ms={} ready_wait_ms={} standby={}", name(), next.pid(), next.port(),
                    previous.pid(), previous.port(), next.build().elapsed().toMillis(),
                    TimeUnit.NANOSECONDS.toMillis(next.healthyNanos() - next.startNanos()),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - next.healthyNanos()),
                    next.onStandby());
            retire(previous);
        }
        return SwapResult.SWAPPED;
    }

    /**
     * Waits {@code workers.restart_delay_ms}, then for the requests in flight and the open
     * tunnels to end, at most {@code workers.max_drain_seconds}, then stops the process; none of
     * it blocks the group's thread.
     */
    private void retire(WorkerProcess previous) {
        Duration maxDrain = context.settings().maxDrain();
        Runnable drainAndTerminate = () -> previous.instance().drain().copy()
                .orTimeout(maxDrain.toMillis(), TimeUnit.MILLISECONDS)
                .whenCompleteAsync((drained, timeout) -> {
                    if (timeout != null) {
                        log.warn("worker drain timed out worker={} pid={} port={} in_flight={}"
                                + " tunnels={} timeout_ms={}", name(), previous.pid(),
                                previous.port(), previous.instance().inFlight(),
                                previous.instance().openTunnels(), maxDrain.toMillis());
                    }
                    previous.terminate(context.settings().shutdownGracePeriod(), context.timer());
                }, context.timer());
        try {
            context.timer().schedule(drainAndTerminate,
                    context.settings().restartDelay().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // The supervisor is stopping, and its stop terminates every live process.
            log.debug("worker retirement skipped, supervisor stopping worker={} pid={}",
                    name(), previous.pid());
        }
    }

    /** Handles the exit of any process of this group; runs on the timer thread. */
    private void handleExit(WorkerProcess exited) {
        int code = exited.process().exitValue();
        context.ports().release(exited.port());
        context.processes().remove(exited.pid());
        synchronized (this) {
            live.remove(exited);
            boolean expected = exited.isStopRequested();
            exited.instance().markStopped(!expected);
            if (expected) {
                log.info("worker exited worker={} pid={} port={} code={}",
                        name(), exited.pid(), exited.port(), code);
            } else {
                log.warn("worker exited unexpectedly worker={} pid={} port={} code={}",
                        name(), exited.pid(), exited.port(), code);
            }
            if (exited == current) {
                current = null;
                publishRoute();
                scheduleRestart();
            }
        }
        exited.markExitHandled();
        submit(() -> {
            pruneBuilds();
            return null;
        }, null);
    }

    /**
     * Schedules a replacement after the backoff delay, unless an instance is ready, a restart is
     * already pending or the group is stopping.
     */
    private synchronized void scheduleRestart() {
        if (isStopping() || current != null) {
            return;
        }
        if (pendingRestart != null && !pendingRestart.isDone()) {
            return;
        }
        Duration delay = backoff.nextDelay();
        transition(State.BACKING_OFF);
        log.info("worker restart scheduled worker={} delay_ms={}", name(), delay.toMillis());
        Runnable restart = () -> submit(this::restart, SwapResult.STOPPED);
        try {
            pendingRestart = context.timer().schedule(
                    restart, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("worker restart not scheduled, supervisor stopping worker={}", name());
        }
    }

    private SwapResult restart() {
        synchronized (this) {
            if (isStopping() || current != null) {
                return SwapResult.STOPPED;
            }
        }
        return replaceAndRecover(NO_SWAP);
    }

    /** Deletes the output of builds that no process of this group runs. */
    private void pruneBuilds() {
        List<WorkerBuild> inUse = new ArrayList<>();
        synchronized (this) {
            for (WorkerProcess process : live) {
                inUse.add(process.build());
            }
        }
        runtime.pruneBuilds(inUse);
    }

    private <T> CompletableFuture<T> submit(Supplier<T> operation, T resultWhenStopped) {
        try {
            return CompletableFuture.supplyAsync(operation, operations);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(resultWhenStopped);
        }
    }

    private boolean isSuperseded(long swapId) {
        return swapId != NO_SWAP && swapId != latestSwap.get();
    }

    private synchronized boolean isStopping() {
        return state == State.STOPPING || state == State.STOPPED;
    }

    private synchronized void cancelPendingRestart() {
        if (pendingRestart != null) {
            pendingRestart.cancel(false);
            pendingRestart = null;
        }
    }

    private synchronized void transition(State next) {
        if (state != next) {
            log.debug("worker state changed worker={} from={} to={}", name(), state, next);
            state = next;
        }
    }

    private void logExitedDuringStart(WorkerProcess started) {
        log.warn("worker start failed worker={} pid={} port={} code={}: exited before"
                + " GET /health returned 200", name(), started.pid(), started.port(),
                started.process().exitValue());
    }

    private boolean awaitOperations(long deadlineNanos) {
        try {
            long remaining = Math.max(0, deadlineNanos - System.nanoTime());
            if (operations.awaitTermination(remaining, TimeUnit.NANOSECONDS)) {
                return true;
            }
            log.warn("worker operation still running at stop worker={}", name());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private void awaitExit(WorkerProcess process, long deadlineNanos) {
        try {
            long remaining = Math.max(0, deadlineNanos - System.nanoTime());
            process.exitHandled().get(remaining, TimeUnit.NANOSECONDS);
            return;
        } catch (TimeoutException e) {
            log.warn("worker still alive at stop deadline, sending SIGKILL worker={} pid={}",
                    name(), process.pid());
        } catch (ExecutionException e) {
            log.error("worker exit handling failed worker={} pid={}", name(), process.pid(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.process().destroyForcibly();
    }

    private void awaitStandbyExit(long deadlineNanos) {
        StandbyProcess stopping;
        synchronized (this) {
            stopping = stoppingStandby;
        }
        if (stopping == null) {
            return;
        }
        try {
            long remaining = Math.max(0, deadlineNanos - System.nanoTime());
            stopping.onExit().get(remaining, TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            log.warn("worker standby still alive at stop deadline worker={} pid={}",
                    name(), stopping.pid());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeInput(Process process) {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            log.debug("worker stdin not closed pid={}", process.pid(), e);
        }
    }

    /** Sleeps for {@code nanos}, if positive; returns false when interrupted. */
    private static boolean sleep(long nanos) {
        if (nanos <= 0) {
            return true;
        }
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
