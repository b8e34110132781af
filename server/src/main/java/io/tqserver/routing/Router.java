package io.tqserver.routing;

import java.util.function.UnaryOperator;

/**
 * The current {@link RouteTable}. The proxy reads it with one volatile read per request; the
 * supervisor replaces it whole, so a request never sees a half-applied change.
 */
public final class Router {

    private volatile RouteTable table = RouteTable.empty();

    public RouteTable table() {
        return table;
    }

    /** Replaces the table with {@code change} applied to the current one. */
    public synchronized RouteTable update(UnaryOperator<RouteTable> change) {
        RouteTable updated = change.apply(table);
        table = updated;
        return updated;
    }
}
