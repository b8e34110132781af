package io.tqserver.worker;

/**
 * Limit on how many lines of one kind are logged per time window, so that a handler failing
 * on every request does not flood the worker log.
 */
final class LogRateLimiter {

    private final int maxPerWindow;
    private final long windowNanos;
    private long windowStart;
    private int loggedInWindow;
    private int suppressed;

    LogRateLimiter(int maxPerWindow, long windowNanos) {
        this.maxPerWindow = maxPerWindow;
        this.windowNanos = windowNanos;
        this.windowStart = System.nanoTime() - windowNanos;
    }

    /**
     * Records one event at {@code nowNanos}, a {@link System#nanoTime()} value.
     *
     * @return -1 if the event must not be logged; otherwise the number of events suppressed
     *     since the last one logged
     */
    synchronized int admit(long nowNanos) {
        if (nowNanos - windowStart >= windowNanos) {
            windowStart = nowNanos;
            loggedInWindow = 0;
        }
        if (loggedInWindow >= maxPerWindow) {
            suppressed++;
            return -1;
        }
        loggedInWindow++;
        int skipped = suppressed;
        suppressed = 0;
        return skipped;
    }
}
