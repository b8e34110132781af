package io.tqserver.routing;

/**
 * Receives every change of the {@link Router}'s table, such as a swap to a new instance or a
 * failed build. It runs on the thread that changed the table, while the router is locked, so it
 * must return quickly and must not change the table itself.
 */
@FunctionalInterface
public interface RouteTableListener {

    /** Handles the replacement of {@code previous} by {@code current}. */
    void routesChanged(RouteTable previous, RouteTable current);
}
