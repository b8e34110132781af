package io.tqserver.supervisor;

import io.tqserver.routing.WorkerInstance;

/**
 * Results of the periodic health checks of one instance, and whether a replacement of it is
 * under way. Updated by {@link HealthMonitor}'s threads; every method is synchronized.
 */
final class InstanceHealth {

    /** Consequence of a check result for the instance. */
    enum Verdict {
        /** The check passed. */
        HEALTHY,
        /** The check failed while the instance was sending responses; not counted. */
        BUSY,
        /** The check failed, and the failures are still below the threshold. */
        FAILING,
        /** The failures reached the threshold; replace the instance. */
        UNHEALTHY
    }

    private final WorkerInstance instance;
    private int failures;
    private long responsesAtLastCheck;
    private boolean replacing;
    private boolean recycling;

    InstanceHealth(WorkerInstance instance) {
        this.instance = instance;
        this.responsesAtLastCheck = instance.workerResponses();
    }

    /** Records one check result and returns what to do about it. */
    synchronized Verdict record(boolean passed, int unhealthyThreshold) {
        // Responses from the worker itself: a hung instance whose requests end in the proxy's
        // 504 completes requests too, but is not making progress.
        long responses = instance.workerResponses();
        boolean progressing = instance.inFlight() > 0 && responses > responsesAtLastCheck;
        responsesAtLastCheck = responses;
        if (passed) {
            failures = 0;
            return Verdict.HEALTHY;
        }
        if (progressing) {
            return Verdict.BUSY;
        }
        failures++;
        if (failures < unhealthyThreshold || replacing) {
            return Verdict.FAILING;
        }
        return Verdict.UNHEALTHY;
    }

    synchronized int failures() {
        return failures;
    }

    synchronized void replacementStarted() {
        replacing = true;
    }

    /** Allows another replacement after {@code unhealthy_threshold} more failures. */
    synchronized void replacementEnded() {
        replacing = false;
        failures = 0;
    }

    /** Returns true when no recycling of this instance has started yet, and marks it started. */
    synchronized boolean startRecycling() {
        if (recycling) {
            return false;
        }
        recycling = true;
        return true;
    }

    /** Allows another attempt at recycling, after one that did not swap. */
    synchronized void recyclingFailed() {
        recycling = false;
    }
}
