package io.tqserver.worker;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Daemon thread that runs an action once a watched process has exited. The runtime watches
 * TQServer this way, so that a worker whose supervisor was killed with SIGKILL stops by itself
 * instead of holding its port as an orphan.
 */
final class ParentWatcher {

    /** Time between two checks; with it a worker notices a gone parent within 250 ms. */
    static final Duration CHECK_INTERVAL = Duration.ofMillis(250);

    private final BooleanSupplier parentAlive;
    private final Duration interval;
    private final Runnable onParentGone;
    private final Thread thread;
    private volatile boolean closed;

    /**
     * Creates a watcher that calls {@code onParentGone} on its own thread once
     * {@code parentAlive} returns false, unless {@link #close()} was called before. Pass
     * {@link ProcessHandle#isAlive()}, which also compares the process start time, so that a
     * reused pid reads as gone.
     */
    ParentWatcher(BooleanSupplier parentAlive, Duration interval, Runnable onParentGone) {
        this.parentAlive = parentAlive;
        this.interval = interval;
        this.onParentGone = onParentGone;
        this.thread = new Thread(this::watch, "worker-parent-watch");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Stops watching; the action does not run afterwards unless it is already running. */
    void close() {
        closed = true;
        if (Thread.currentThread() != thread) {
            thread.interrupt();
        }
    }

    private void watch() {
        try {
            while (!closed && parentAlive.getAsBoolean()) {
                Thread.sleep(interval.toMillis());
            }
        } catch (InterruptedException e) {
            return;
        }
        if (!closed) {
            onParentGone.run();
        }
    }
}
