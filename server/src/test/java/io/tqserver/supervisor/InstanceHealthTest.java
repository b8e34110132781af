package io.tqserver.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import io.tqserver.routing.WorkerInstance;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Checks which failed health checks count toward the unhealthy threshold. */
class InstanceHealthTest {

    private static final int THRESHOLD = 3;

    private WorkerInstance instance;
    private InstanceHealth health;

    @BeforeEach
    void createReadyInstance() {
        instance = new WorkerInstance("w", 1);
        instance.markReady();
        health = new InstanceHealth(instance);
    }

    @Test
    void failureWhileWorkerRespondsIsNotCounted() {
        assertThat(instance.beginRequest()).isTrue();
        assertThat(instance.beginRequest()).isTrue();
        instance.countWorkerResponse();
        instance.endRequest();

        assertThat(health.record(false, THRESHOLD)).isEqualTo(InstanceHealth.Verdict.BUSY);
        assertThat(health.failures()).isZero();
    }

    @Test
    void requestsEndedByProxyAreNotProgress() {
        assertThat(instance.beginRequest()).isTrue();
        for (int check = 1; check <= THRESHOLD; check++) {
            // A request that timed out with the proxy's own 504: the worker sent nothing.
            assertThat(instance.beginRequest()).isTrue();
            instance.endRequest();

            InstanceHealth.Verdict verdict = health.record(false, THRESHOLD);

            assertThat(verdict).isNotEqualTo(InstanceHealth.Verdict.BUSY);
            assertThat(health.failures()).isEqualTo(check);
        }
    }

    @Test
    void failureWhileIdleIsCounted() {
        assertThat(health.record(false, THRESHOLD)).isEqualTo(InstanceHealth.Verdict.FAILING);
        assertThat(health.failures()).isEqualTo(1);
    }
}
