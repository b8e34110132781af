package io.tqserver.routing;

/**
 * A route chosen for a request-target, and the target to send to the worker.
 *
 * @param route the matched route
 * @param workerTarget the request-target with the route prefix removed; everything after the
 *     prefix is kept byte for byte, and an empty path becomes {@code /}
 */
public record RouteMatch(Route route, String workerTarget) {
}
