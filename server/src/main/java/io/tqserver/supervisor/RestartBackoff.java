package io.tqserver.supervisor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Delays between restarts of a failing worker: 100 ms, doubling after each failure up to 30 s.
 * The delay goes back to 100 ms once the worker has had a ready instance for 60 s without a
 * failure. Time comes from the injected clock, so tests need not sleep.
 */
final class RestartBackoff {

    static final Duration INITIAL_DELAY = Duration.ofMillis(100);
    static final Duration MAX_DELAY = Duration.ofSeconds(30);
    static final Duration HEALTHY_RESET = Duration.ofSeconds(60);

    private final Clock clock;
    private Duration nextDelay = INITIAL_DELAY;

    /** When the worker last got a ready instance after a failure, or null. */
    private Instant healthySince;

    RestartBackoff(Clock clock) {
        this.clock = clock;
    }

    /** Records that the worker has a ready instance; a swap leaves the healthy period running. */
    synchronized void instanceReady() {
        if (healthySince == null) {
            healthySince = clock.instant();
        }
    }

    /** Records a failure and returns how long to wait before the next attempt. */
    synchronized Duration nextDelay() {
        Instant now = clock.instant();
        if (healthySince != null
                && Duration.between(healthySince, now).compareTo(HEALTHY_RESET) >= 0) {
            nextDelay = INITIAL_DELAY;
        }
        healthySince = null;
        Duration delay = nextDelay;
        Duration doubled = nextDelay.multipliedBy(2);
        nextDelay = doubled.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : doubled;
        return delay;
    }
}
