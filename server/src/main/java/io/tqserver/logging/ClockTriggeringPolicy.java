package io.tqserver.logging;

import ch.qos.logback.core.rolling.DefaultTimeBasedFileNamingAndTriggeringPolicy;
import java.time.Clock;

/**
 * Logback's daily roll-over, with the current time read from a {@link Clock} so that tests can
 * move the day forward. Logback compares this time with the start of the next period before
 * each line is written, so the file changes with the first line of a new day.
 */
final class ClockTriggeringPolicy<E> extends DefaultTimeBasedFileNamingAndTriggeringPolicy<E> {

    private final Clock clock;

    ClockTriggeringPolicy(Clock clock) {
        this.clock = clock;
    }

    @Override
    public long getCurrentTime() {
        return clock.millis();
    }
}
