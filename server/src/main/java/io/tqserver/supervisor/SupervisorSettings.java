package io.tqserver.supervisor;

import io.tqserver.config.ServerConfig;
import java.util.Objects;

/**
 * The parts of the server configuration that the supervisor reads while it runs. A reload
 * replaces them, and every later read sees the new values: delays and the grace period apply
 * to the next instance started or stopped, the health policy to the next check.
 */
final class SupervisorSettings {

    private volatile ServerConfig.Workers workers;
    private volatile ServerConfig.Health health;

    SupervisorSettings(ServerConfig.Workers workers, ServerConfig.Health health) {
        update(workers, health);
    }

    ServerConfig.Workers workers() {
        return workers;
    }

    ServerConfig.Health health() {
        return health;
    }

    void update(ServerConfig.Workers newWorkers, ServerConfig.Health newHealth) {
        this.workers = Objects.requireNonNull(newWorkers, "workers");
        this.health = Objects.requireNonNull(newHealth, "health");
    }
}
