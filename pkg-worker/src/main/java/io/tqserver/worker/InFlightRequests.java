package io.tqserver.worker;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** Counter of requests whose handlers are running, which a graceful stop waits on. */
final class InFlightRequests {

    private final AtomicInteger count = new AtomicInteger();
    private final Object idle = new Object();

    void begin() {
        count.incrementAndGet();
    }

    void end() {
        if (count.decrementAndGet() == 0) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    int count() {
        return count.get();
    }

    /**
     * Waits until no request is in flight or {@code timeout} has passed.
     *
     * @return whether the count reached zero in time
     */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            while (count.get() > 0) {
                long remainingNanos = deadline - System.nanoTime();
                if (remainingNanos <= 0) {
                    return false;
                }
                long millis = Math.max(1, remainingNanos / 1_000_000);
                idle.wait(millis);
            }
            return true;
        }
    }
}
