package io.tqserver.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WorkerSettingsTest {

    @Test
    void readsEveryVariable() {
        WorkerSettings settings = WorkerSettings.fromEnvironment(Map.of(
                "WORKER_PORT", "9001",
                "WORKER_NAME", "index",
                "WORKER_ROUTE", "/api",
                "WORKER_MODE", "development",
                "WORKER_THREADS", "3",
                "WORKER_SHUTDOWN_GRACE_MS", "750",
                "TQSERVER_PID", "4242"));

        assertThat(settings.port()).isEqualTo(9001);
        assertThat(settings.name()).isEqualTo("index");
        assertThat(settings.route()).isEqualTo("/api");
        assertThat(settings.mode()).isEqualTo(WorkerMode.DEVELOPMENT);
        assertThat(settings.threads()).isEqualTo(3);
        assertThat(settings.shutdownGrace()).isEqualTo(Duration.ofMillis(750));
        assertThat(settings.parentPid()).isEqualTo(OptionalLong.of(4242));
    }

    @Test
    void appliesDefaultsWhenOnlyPortIsSet() {
        WorkerSettings settings = WorkerSettings.fromEnvironment(Map.of("WORKER_PORT", "9001"));

        assertThat(settings.name()).isEqualTo("worker");
        assertThat(settings.route()).isEqualTo("/");
        assertThat(settings.mode()).isEqualTo(WorkerMode.PRODUCTION);
        assertThat(settings.threads()).isEqualTo(WorkerSettings.defaultThreads());
        assertThat(settings.shutdownGrace()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.parentPid()).isEmpty();
    }

    @Test
    void defaultThreadsIsAtLeastEight() {
        assertThat(WorkerSettings.defaultThreads())
                .isGreaterThanOrEqualTo(8)
                .isGreaterThanOrEqualTo(4 * Runtime.getRuntime().availableProcessors());
    }

    @Test
    void missingPortIsRejected() {
        assertThatThrownBy(() -> WorkerSettings.fromEnvironment(Map.of("WORKER_NAME", "index")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("WORKER_PORT is missing (expected: the port to listen on, 0 to 65535)");
    }

    @Test
    void blankPortCountsAsMissing() {
        assertThatThrownBy(() -> WorkerSettings.fromEnvironment(Map.of("WORKER_PORT", "  ")))
                .hasMessageStartingWith("WORKER_PORT is missing");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "WORKER_PORT              | abc   | WORKER_PORT: abc (expected: an integer from 0 to 65535)",
        "WORKER_PORT              | 65536 | WORKER_PORT: 65536 (expected: an integer from 0 to 65535)",
        "WORKER_PORT              | -1    | WORKER_PORT: -1 (expected: an integer from 0 to 65535)",
        "WORKER_THREADS           | 0     | WORKER_THREADS: 0 (expected: an integer from 1 to 10000)",
        "WORKER_SHUTDOWN_GRACE_MS | soon  | WORKER_SHUTDOWN_GRACE_MS: soon (expected: milliseconds "
                + "from 0 to 3600000)",
        "WORKER_MODE              | debug | WORKER_MODE: debug (expected: development or production)",
        "WORKER_ROUTE             | api   | WORKER_ROUTE: api (expected: a path starting with /)",
        "TQSERVER_PID             | 0     | TQSERVER_PID: 0 (expected: a process id, 1 or more)",
    })
    void invalidValueIsRejectedWithKeyAndValue(String key, String value, String message) {
        Map<String, String> env = new HashMap<>(Map.of("WORKER_PORT", "9001"));
        env.put(key, value);

        assertThatThrownBy(() -> WorkerSettings.fromEnvironment(env))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void modeIgnoresCase() {
        WorkerSettings settings = WorkerSettings.fromEnvironment(
                Map.of("WORKER_PORT", "9001", "WORKER_MODE", "Production"));

        assertThat(settings.mode()).isEqualTo(WorkerMode.PRODUCTION);
    }
}
