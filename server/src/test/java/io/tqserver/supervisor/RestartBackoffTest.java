package io.tqserver.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RestartBackoffTest {

    private final ManualClock clock = new ManualClock();
    private final RestartBackoff backoff = new RestartBackoff(clock);

    @Test
    void doublesFromInitialDelayUpToMax() {
        List<Long> delays = new ArrayList<>();
        for (int failure = 0; failure < 12; failure++) {
            delays.add(backoff.nextDelay().toMillis());
        }

        assertThat(delays).containsExactly(100L, 200L, 400L, 800L, 1_600L, 3_200L, 6_400L,
                12_800L, 25_600L, 30_000L, 30_000L, 30_000L);
    }

    @Test
    void resetsAfterSixtySecondsHealthy() {
        backoff.nextDelay();
        backoff.nextDelay();
        backoff.nextDelay();
        backoff.instanceReady();

        clock.advance(Duration.ofSeconds(60));

        assertThat(backoff.nextDelay()).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.nextDelay()).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void keepsGrowingWhenHealthyForLessThanSixtySeconds() {
        backoff.nextDelay();
        backoff.nextDelay();
        backoff.instanceReady();

        clock.advance(Duration.ofSeconds(59));

        assertThat(backoff.nextDelay()).isEqualTo(Duration.ofMillis(400));
    }

    @Test
    void swapKeepsHealthyPeriodRunning() {
        backoff.nextDelay();
        backoff.nextDelay();
        backoff.instanceReady();
        clock.advance(Duration.ofSeconds(50));
        backoff.instanceReady();

        clock.advance(Duration.ofSeconds(10));

        assertThat(backoff.nextDelay()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void failureEndsHealthyPeriod() {
        backoff.instanceReady();
        clock.advance(Duration.ofSeconds(30));
        backoff.nextDelay();

        clock.advance(Duration.ofSeconds(60));

        assertThat(backoff.nextDelay()).isEqualTo(Duration.ofMillis(200));
    }

    /** A clock that moves only when a test advances it. */
    private static final class ManualClock extends Clock {

        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
