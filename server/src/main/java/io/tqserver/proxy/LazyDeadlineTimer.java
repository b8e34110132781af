package io.tqserver.proxy;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One scheduled task that fires no later than the earliest deadline of a connection. Setting a
 * deadline later than the armed task reschedules nothing: the task fires early, and its owner
 * checks its deadlines and arms the timer again for the earliest one left. A connection that
 * serves many short requests thus schedules about one task per timeout instead of several per
 * request. Runs on one event loop and takes no locks.
 */
final class LazyDeadlineTimer {

    private final EventExecutor executor;
    private final Runnable onFire;
    private ScheduledFuture<?> task;
    private long fireAtNanos;

    /**
     * @param onFire runs on the event loop when the armed task fires. It checks the owner's
     *     deadlines and calls {@link #armBy} for those still pending.
     */
    LazyDeadlineTimer(EventExecutor executor, Runnable onFire) {
        this.executor = executor;
        this.onFire = onFire;
    }

    /** Makes sure the task fires at or before {@code deadlineNanos} ({@link System#nanoTime}). */
    void armBy(long deadlineNanos) {
        if (task != null) {
            if (fireAtNanos - deadlineNanos <= 0) {
                return;
            }
            task.cancel(false);
        }
        fireAtNanos = deadlineNanos;
        long delay = Math.max(0, deadlineNanos - System.nanoTime());
        task = executor.schedule(this::fire, delay, TimeUnit.NANOSECONDS);
    }

    /** Cancels the armed task, for a connection that closed. */
    void stop() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    private void fire() {
        task = null;
        onFire.run();
    }
}
