package io.tqserver.routing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current {@link RouteTable}. The proxy reads it with one volatile read per request; the
 * supervisor replaces it whole, so a request never sees a half-applied change. Listeners hear of
 * every change, which is how development mode's live reload learns of swaps without the proxy
 * calling the supervisor.
 */
public final class Router {

    private static final Logger log = LoggerFactory.getLogger(Router.class);

    private final List<RouteTableListener> listeners = new CopyOnWriteArrayList<>();
    private volatile RouteTable table = RouteTable.empty();

    public RouteTable table() {
        return table;
    }

    /** Replaces the table with {@code change} applied to the current one. */
    public synchronized RouteTable update(UnaryOperator<RouteTable> change) {
        RouteTable previous = table;
        RouteTable updated = change.apply(previous);
        table = updated;
        for (RouteTableListener listener : listeners) {
            try {
                listener.routesChanged(previous, updated);
            } catch (RuntimeException e) {
                log.error("route table listener failed listener={}", listener, e);
            }
        }
        return updated;
    }

    /** Adds a listener that hears of every later change of the table. */
    public void addListener(RouteTableListener listener) {
        listeners.add(listener);
    }
}
