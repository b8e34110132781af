package io.tqserver.routing;

import java.time.Duration;
import java.util.Objects;

/**
 * A URL path prefix and the worker that serves it.
 *
 * @param prefix path prefix without a trailing slash, or {@code /} for the root route
 * @param workerName name of the worker serving the prefix
 * @param instance the READY instance new requests go to, or {@code null} while there is none
 * @param responseTimeout how long the worker may take to start a response
 * @param buildFailure compiler output of the worker's latest failed build, or {@code null}
 */
public record Route(
        String prefix, String workerName, WorkerInstance instance, Duration responseTimeout,
        String buildFailure) {

    public Route {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(workerName, "workerName");
        Objects.requireNonNull(responseTimeout, "responseTimeout");
        if (!prefix.startsWith("/") || (prefix.length() > 1 && prefix.endsWith("/"))) {
            throw new IllegalArgumentException(
                    "prefix: " + prefix + " (expected: / or /segment without a trailing slash)");
        }
    }

    /** Returns a copy of this route that sends new requests to {@code newInstance}. */
    public Route withInstance(WorkerInstance newInstance) {
        return new Route(prefix, workerName, newInstance, responseTimeout, buildFailure);
    }

    /** Returns a copy of this route that reports {@code failure} as its latest build. */
    public Route withBuildFailure(String failure) {
        return new Route(prefix, workerName, instance, responseTimeout, failure);
    }

    /** Returns whether this route is the catch-all {@code /}. */
    public boolean isRoot() {
        return prefix.length() == 1;
    }
}
