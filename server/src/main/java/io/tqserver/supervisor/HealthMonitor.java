package io.tqserver.supervisor;

import io.tqserver.config.ServerConfig;
import io.tqserver.routing.WorkerInstance;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the ready instance of every worker after its start, and replaces it blue/green when it
 * turns unhealthy or has served {@code runtime.max_requests} requests. Checks run on threads of
 * their own, since each one may block for {@code health.timeout_ms}.
 *
 * <p>A failed check counts toward {@code health.unhealthy_threshold} unless the instance is busy
 * and making progress: when it has requests in flight and has sent more response heads since the
 * previous check, a slow or timed-out check is put down to load, and the instance is left alone.
 * An instance that stops responding, or fails its check while idle, is replaced, even while its
 * requests keep ending in the proxy's own 504.
 */
final class HealthMonitor {

    private static final Logger log = LoggerFactory.getLogger(HealthMonitor.class);

    /** How often the request counts are compared with {@code runtime.max_requests}. */
    static final long RECYCLE_CHECK_MILLIS = 50;

    private final Supplier<Iterable<WorkerGroup>> groups;
    private final SupervisorSettings settings;
    private final ScheduledExecutorService checks;
    /** Check results by instance; an entry goes when its instance leaves the route. */
    private final Map<WorkerInstance, InstanceHealth> healthByInstance = new ConcurrentHashMap<>();

    HealthMonitor(Supplier<Iterable<WorkerGroup>> groups, SupervisorSettings settings) {
        this.groups = groups;
        this.settings = settings;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(2, runnable -> {
            Thread thread = new Thread(runnable, "health-check");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.checks = executor;
    }

    void start() {
        scheduleHealthChecks();
        checks.scheduleWithFixedDelay(this::recycleExhausted, RECYCLE_CHECK_MILLIS,
                RECYCLE_CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    void stop() {
        checks.shutdownNow();
    }

    /** Checks every worker once, then schedules the next round with the current interval. */
    private void scheduleHealthChecks() {
        try {
            checks.schedule(() -> {
                checkAll();
                scheduleHealthChecks();
            }, settings.health().interval().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("health checks stopped");
        }
    }

    private void checkAll() {
        for (WorkerGroup group : groups.get()) {
            try {
                check(group);
            } catch (RuntimeException e) {
                log.error("worker health check failed to run worker={}", group.name(), e);
            }
        }
        healthByInstance.keySet().removeIf(instance ->
                instance.state() != WorkerInstance.State.READY);
    }

    private void check(WorkerGroup group) {
        WorkerInstance instance = group.currentInstance();
        if (instance == null) {
            return;
        }
        ServerConfig.Health policy = settings.health();
        InstanceHealth health = healthByInstance.computeIfAbsent(instance, InstanceHealth::new);
        boolean passed = group.isHealthy(instance, policy.timeout());
        if (instance.state() != WorkerInstance.State.READY) {
            return;
        }
        InstanceHealth.Verdict verdict = health.record(passed, policy.unhealthyThreshold());
        switch (verdict) {
            case HEALTHY -> {
            }
            case BUSY -> log.info("worker health check failed under load, not counted"
                    + " {} in_flight={} timeout_ms={}", instance, instance.inFlight(),
                    policy.timeout().toMillis());
            case FAILING -> log.warn("worker health check failed {} failures={} threshold={}",
                    instance, health.failures(), policy.unhealthyThreshold());
            case UNHEALTHY -> {
                log.warn("worker unhealthy, replacing it {} failures={}",
                        instance, health.failures());
                health.replacementStarted();
                group.replace(instance, "unhealthy").whenComplete((result, error) ->
                        health.replacementEnded());
            }
        }
    }

    /** Allows another recycling attempt one health interval from now, so failures back off. */
    private void retryRecyclingLater(InstanceHealth health) {
        try {
            checks.schedule(health::recyclingFailed, settings.health().interval().toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("recycling retry not scheduled, supervisor stopping");
        }
    }

    /** Replaces every ready instance that has served its worker's {@code max_requests}. */
    private void recycleExhausted() {
        for (WorkerGroup group : groups.get()) {
            long maxRequests = group.config().runtime().maxRequests();
            WorkerInstance instance = group.currentInstance();
            if (maxRequests <= 0 || instance == null || instance.served() < maxRequests) {
                continue;
            }
            InstanceHealth health = healthByInstance.computeIfAbsent(instance, InstanceHealth::new);
            if (!health.startRecycling()) {
                continue;
            }
            log.info("worker recycling {} served={} max_requests={}",
                    instance, instance.served(), maxRequests);
            group.replace(instance, "max_requests").whenComplete((result, error) -> {
                if (result != SwapResult.SWAPPED) {
                    retryRecyclingLater(health);
                }
            });
        }
    }
}
