package io.tqserver.worker;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import sun.misc.Signal;

/**
 * Process-wide handling of SIGTERM, which TQServer sends to stop a worker: every running
 * {@link WorkerRuntime} stops gracefully and the process then exits with status 0. A shutdown
 * hook stops the runtimes as well, which covers SIGINT, {@link System#exit} and JVMs where
 * {@code sun.misc.Signal} (module jdk.unsupported) is missing.
 *
 * <p>Handlers are installed once per JVM and stay, because restoring a previous handler while
 * another runtime still runs would lose its graceful stop.
 */
final class TerminationSignals {

    private static final WorkerLog log = WorkerLog.stderr();

    private static final Set<WorkerRuntime> runtimes = ConcurrentHashMap.newKeySet();
    private static boolean installed;

    private TerminationSignals() {
    }

    /** Stops {@code runtime} on SIGTERM or JVM shutdown until it is unregistered. */
    static void register(WorkerRuntime runtime) {
        install();
        runtimes.add(runtime);
    }

    static void unregister(WorkerRuntime runtime) {
        runtimes.remove(runtime);
    }

    /** Installs the SIGTERM handler and the shutdown hook, once per JVM. */
    static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        Runtime.getRuntime().addShutdownHook(
                new Thread(TerminationSignals::stopAll, "worker-shutdown-hook"));
        try {
            Signal.handle(new Signal("TERM"), signal -> onTerminate());
        } catch (IllegalArgumentException | LinkageError e) {
            log.warn("SIGTERM handler unavailable, the shutdown hook stops workers: {}", e);
        }
    }

    /** Runs on the JVM's per-signal thread, so blocking through the grace period is fine. */
    private static void onTerminate() {
        log.info("SIGTERM received, stopping gracefully");
        stopAll();
        System.exit(0);
    }

    /**
     * Stops the registered runtimes one after the other.
     *
     * <p>NOTE: each stop waits up to its own grace period, so several runtimes in one JVM can
     * take their sum to stop. A TQServer worker process runs one.
     */
    private static void stopAll() {
        for (WorkerRuntime runtime : runtimes) {
            runtime.stop();
        }
    }
}
