package io.tqserver.supervisor;

import io.tqserver.config.RunMode;
import io.tqserver.config.ServerConfig;
import io.tqserver.routing.Router;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every {@link WorkerGroup} of one supervisor shares.
 *
 * @param live the {@code workers} and {@code health} sections, replaced on reload
 * @param mode passed to instances in {@code WORKER_MODE}
 * @param router where the groups publish their routes
 * @param ports the pool that every instance's port comes from
 * @param timer runs delayed restarts, SIGKILL escalation and exit handling; its tasks must not
 *     block
 * @param clock time source of the restart backoff
 * @param processes record of the worker processes running, for cleanup after a crash
 */
record WorkerGroupContext(
        SupervisorSettings live, RunMode mode, Router router, PortPool ports,
        ScheduledExecutorService timer, Clock clock, ProcessRecords processes) {

    /** Returns the current {@code workers} section of the server configuration. */
    ServerConfig.Workers settings() {
        return live.workers();
    }

    /** Returns the current health policy. */
    ServerConfig.Health health() {
        return live.health();
    }
}
