package io.tqserver.worker;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * HTTP server of a Java worker that TQServer supervises. It listens on 127.0.0.1 at
 * {@code WORKER_PORT}, routes requests to handlers on a bounded thread pool, answers
 * {@code /health}, stops gracefully on SIGTERM and exits when TQServer's process is gone.
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *     WorkerRuntime runtime = WorkerRuntime.fromEnvironment();
 *     runtime.get("/hello", (request, response) -> response.send("Hello"));
 *     runtime.run();
 * }
 * }</pre>
 *
 * <p>Its lifecycle runs NEW, RUNNING, DRAINING, STOPPED. Routes are registered while NEW.
 */
public final class WorkerRuntime {

    /** Exit status when the environment is missing a variable or contains an invalid one. */
    public static final int EXIT_INVALID_ENVIRONMENT = 2;

    /** Exit status when the server cannot listen, for example because the port is taken. */
    public static final int EXIT_START_FAILED = 1;

    /** Exit status when the worker stops because TQServer's process is gone. */
    public static final int EXIT_PARENT_GONE = 3;

    /** Listen backlog; the kernel caps it at {@code net.core.somaxconn}. */
    static final int BACKLOG = 1024;

    /** Maximum grace for in-flight requests once the parent is gone, to exit within 2 s. */
    static final Duration ORPHAN_GRACE = Duration.ofSeconds(1);

    private static final WorkerLog log = WorkerLog.stderr();

    private enum State { NEW, RUNNING, DRAINING, STOPPED }

    private final WorkerSettings settings;
    private final Router router = new Router();
    private final InFlightRequests inFlight = new InFlightRequests();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Object lifecycleLock = new Object();
    private volatile State state = State.NEW;
    private volatile BooleanSupplier healthCheck = () -> true;
    private HttpServer server;
    private ExecutorService executor;
    private ParentWatcher parentWatcher;

    private WorkerRuntime(WorkerSettings settings) {
        this.settings = settings;
    }

    /**
     * Creates a runtime from the process environment. When a variable is missing or invalid it
     * logs the reason and exits the JVM with {@link #EXIT_INVALID_ENVIRONMENT}.
     */
    public static WorkerRuntime fromEnvironment() {
        try {
            return fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            log.error("invalid worker environment: {}", e.getMessage());
            System.exit(EXIT_INVALID_ENVIRONMENT);
            throw e;
        }
    }

    /**
     * Creates a runtime from the given environment variables, as {@link WorkerSettings} reads
     * them.
     *
     * @throws IllegalArgumentException if a variable is missing or invalid
     */
    public static WorkerRuntime fromEnvironment(Map<String, String> env) {
        return new WorkerRuntime(WorkerSettings.fromEnvironment(env));
    }

    /** Returns the settings read from the environment. */
    public WorkerSettings settings() {
        return settings;
    }

    /** Returns the port the server listens on; after a start on port 0, the chosen one. */
    public int port() {
        HttpServer running = server;
        return running == null ? settings.port() : running.getAddress().getPort();
    }

    /** Registers {@code handler} for GET (and HEAD) requests on {@code path}. */
    public WorkerRuntime get(String path, Handler handler) {
        return route("GET", path, handler);
    }

    /** Registers {@code handler} for POST requests on {@code path}. */
    public WorkerRuntime post(String path, Handler handler) {
        return route("POST", path, handler);
    }

    /** Registers {@code handler} for PUT requests on {@code path}. */
    public WorkerRuntime put(String path, Handler handler) {
        return route("PUT", path, handler);
    }

    /** Registers {@code handler} for DELETE requests on {@code path}. */
    public WorkerRuntime delete(String path, Handler handler) {
        return route("DELETE", path, handler);
    }

    /**
     * Registers {@code handler} for {@code method} on {@code path}. The path is relative to the
     * worker's route and is either exact, such as {@code /hello}, or a prefix ending in
     * {@code /*}, such as {@code /static/*}, which also matches {@code /static}. Exact paths win
     * over prefixes and longer prefixes over shorter ones.
     *
     * @throws IllegalArgumentException if the method or path is invalid, the path is
     *     {@code /health}, or the route is already registered
     * @throws IllegalStateException if the runtime has started
     */
    public WorkerRuntime route(String method, String path, Handler handler) {
        Objects.requireNonNull(handler, "handler");
        if (RequestDispatcher.HEALTH_PATH.equals(path)) {
            throw new IllegalArgumentException(
                    "path: /health is answered by the runtime (use healthCheck to change it)");
        }
        synchronized (lifecycleLock) {
            checkState(State.NEW, "routes must be registered before start");
            router.add(method, path, handler);
        }
        return this;
    }

    /**
     * Sets the check behind {@code /health}: it answers 200 {@code ok} while {@code check}
     * returns true, and 503 when it returns false or throws. It runs on every health request.
     */
    public WorkerRuntime healthCheck(BooleanSupplier check) {
        this.healthCheck = Objects.requireNonNull(check, "check");
        return this;
    }

    /**
     * Starts listening on 127.0.0.1 and returns at once. It also installs the SIGTERM handler
     * and starts the orphan guard.
     *
     * @throws IOException if the server cannot listen on the port
     * @throws IllegalStateException if the runtime was started before
     */
    public void start() throws IOException {
        synchronized (lifecycleLock) {
            checkState(State.NEW, "the runtime can be started once");
            HttpServerTuning.apply();
            executor = newHandlerPool(settings.threads(), settings.name());
            try {
                server = newServer();
            } catch (IOException e) {
                executor.shutdownNow();
                markStopped();
                throw e;
            }
            server.start();
            state = State.RUNNING;
        }
        TerminationSignals.register(this);
        startParentWatcher();
        log.info("{} listening pid={} route={} mode={} threads={}", workerId(),
                ProcessHandle.current().pid(), settings.route(), settings.mode().value(),
                settings.threads());
    }

    /** Blocks until the runtime has stopped. */
    public void await() throws InterruptedException {
        stopped.await();
    }

    /**
     * Starts the server and blocks until it stops. If the server cannot listen, it logs the
     * reason and exits the JVM with {@link #EXIT_START_FAILED}.
     */
    public void run() {
        try {
            start();
        } catch (IOException e) {
            log.error("{} failed to listen on 127.0.0.1:{}: {}", workerId(), settings.port(),
                    e.getMessage());
            System.exit(EXIT_START_FAILED);
        }
        try {
            await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
        }
    }

    /** Stops gracefully within the grace period from {@code WORKER_SHUTDOWN_GRACE_MS}. */
    public void stop() {
        stop(settings.shutdownGrace());
    }

    /**
     * Stops accepting connections at once, waits up to {@code grace} for in-flight requests,
     * then closes every connection. Returns once stopped; concurrent and repeated calls wait
     * for the first one to finish.
     */
    public void stop(Duration grace) {
        synchronized (lifecycleLock) {
            if (state == State.NEW) {
                markStopped();
                return;
            }
            if (state != State.RUNNING) {
                awaitStoppedUninterruptibly();
                return;
            }
            state = State.DRAINING;
        }
        drainAndClose(grace);
        synchronized (lifecycleLock) {
            markStopped();
        }
        log.info("{} stopped", workerId());
    }

    /** Returns the address the server listens on, or {@code null} before start. */
    InetSocketAddress address() {
        HttpServer running = server;
        return running == null ? null : running.getAddress();
    }

    private HttpServer newServer() throws IOException {
        InetSocketAddress address =
                new InetSocketAddress(InetAddress.getLoopbackAddress(), settings.port());
        HttpServer created = HttpServer.create(address, BACKLOG);
        created.setExecutor(executor);
        created.createContext("/", new RequestDispatcher(router, () -> healthCheck.getAsBoolean(),
                inFlight, () -> state == State.DRAINING, "worker=" + settings.name()
                + " port=" + created.getAddress().getPort()));
        return created;
    }

    private void drainAndClose(Duration grace) {
        if (parentWatcher != null) {
            parentWatcher.close();
        }
        TerminationSignals.unregister(this);
        log.info("{} draining in_flight={} grace_ms={}", workerId(), inFlight.count(),
                grace.toMillis());

        // HttpServer.stop closes the listening socket at once, then blocks until its exchanges
        // end or its delay in whole seconds passes. It runs on its own thread so that the
        // wait below can use the in-flight count and a millisecond deadline.
        int delaySeconds = (int) Math.min(Integer.MAX_VALUE, (grace.toMillis() + 999) / 1000);
        Thread listenerCloser = new Thread(() -> server.stop(delaySeconds), "worker-stop");
        listenerCloser.setDaemon(true);
        listenerCloser.start();

        awaitInFlight(grace);
        // A second stop with no delay closes the remaining idle connections and releases the
        // first stop, whose exchange count stays above zero after an aborted response. The
        // first stop is not joined because JDK 17 polls in 200 ms steps before returning.
        server.stop(0);
        executor.shutdownNow();
    }

    private void awaitInFlight(Duration grace) {
        try {
            if (!inFlight.awaitIdle(grace)) {
                log.warn("{} grace period of {} ms elapsed, closing {} in-flight requests",
                        workerId(), grace.toMillis(), inFlight.count());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("{} interrupted while draining, closing {} in-flight requests", workerId(),
                    inFlight.count());
        }
    }

    private void startParentWatcher() {
        long pid = watchedPid();
        if (pid < 0) {
            log.warn("{} parent process unknown, the worker will not exit when TQServer does",
                    workerId());
            return;
        }
        // A process that is already gone at start fails the first check.
        BooleanSupplier alive = ProcessHandle.of(pid)
                .<BooleanSupplier>map(handle -> handle::isAlive)
                .orElse(() -> false);
        parentWatcher = new ParentWatcher(alive, ParentWatcher.CHECK_INTERVAL,
                () -> exitAsOrphan(pid));
        parentWatcher.start();
    }

    /** Returns the pid from {@code TQSERVER_PID}, else the parent's pid, or -1 if unknown. */
    private long watchedPid() {
        if (settings.parentPid().isPresent()) {
            return settings.parentPid().getAsLong();
        }
        return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
    }

    private void exitAsOrphan(long parentPid) {
        log.warn("{} parent pid={} exited, stopping with exit status {}", workerId(), parentPid,
                EXIT_PARENT_GONE);
        stop(min(settings.shutdownGrace(), ORPHAN_GRACE));
        System.exit(EXIT_PARENT_GONE);
    }

    private String workerId() {
        return "worker=" + settings.name() + " port=" + port();
    }

    private void checkState(State expected, String message) {
        if (state != expected) {
            throw new IllegalStateException(message + " (state: " + state + ")");
        }
    }

    private void markStopped() {
        state = State.STOPPED;
        stopped.countDown();
    }

    private void awaitStoppedUninterruptibly() {
        boolean interrupted = false;
        while (stopped.getCount() > 0) {
            try {
                stopped.await();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static ExecutorService newHandlerPool(int threads, String workerName) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), handlerThreads(workerName));
        pool.prestartCoreThread();
        return pool;
    }

    private static ThreadFactory handlerThreads(String workerName) {
        AtomicInteger counter = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, workerName + "-handler-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
