package io.tqserver.routing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Immutable set of routes, matched by the longest prefix that ends on a path segment boundary:
 * {@code /api} matches {@code /api}, {@code /api/} and {@code /api/x?q=1}, never {@code /apix}.
 */
public final class RouteTable {

    private static final RouteTable EMPTY = new RouteTable(List.of());

    /** Routes ordered by descending prefix length, so the first match is the longest. */
    private final List<Route> routes;

    private RouteTable(List<Route> routes) {
        this.routes = routes;
    }

    public static RouteTable empty() {
        return EMPTY;
    }

    /** Returns a table of {@code routes}; a later route replaces an earlier one of the same prefix. */
    public static RouteTable of(List<Route> routes) {
        List<Route> sorted = new ArrayList<>();
        for (Route route : routes) {
            sorted.removeIf(existing -> existing.prefix().equals(route.prefix()));
            sorted.add(route);
        }
        sorted.sort(Comparator.comparingInt((Route route) -> route.prefix().length()).reversed());
        return new RouteTable(List.copyOf(sorted));
    }

    public List<Route> routes() {
        return routes;
    }

    /** Returns the route of {@code workerName}, if the table has one. */
    public Optional<Route> routeOf(String workerName) {
        return routes.stream().filter(route -> route.workerName().equals(workerName)).findFirst();
    }

    /** Returns a table with {@code route} added, replacing any route of the same worker. */
    public RouteTable with(Route route) {
        List<Route> updated = new ArrayList<>(routes);
        updated.removeIf(existing -> existing.workerName().equals(route.workerName()));
        updated.add(route);
        return of(updated);
    }

    /** Returns a table without the route of {@code workerName}. */
    public RouteTable without(String workerName) {
        List<Route> updated = new ArrayList<>(routes);
        updated.removeIf(existing -> existing.workerName().equals(workerName));
        return of(updated);
    }

    /**
     * Finds the route for a request-target in origin form ({@code /path?query}).
     *
     * @return the match, or empty when no route serves the target
     */
    public Optional<RouteMatch> match(String target) {
        int pathEnd = target.indexOf('?');
        if (pathEnd < 0) {
            pathEnd = target.length();
        }
        for (Route route : routes) {
            if (route.isRoot()) {
                return Optional.of(new RouteMatch(route, target));
            }
            String prefix = route.prefix();
            if (matchesSegments(target, pathEnd, prefix)) {
                return Optional.of(new RouteMatch(route, stripPrefix(target, prefix.length())));
            }
        }
        return Optional.empty();
    }

    private static boolean matchesSegments(String target, int pathEnd, String prefix) {
        int length = prefix.length();
        if (pathEnd < length || !target.startsWith(prefix)) {
            return false;
        }
        return pathEnd == length || target.charAt(length) == '/';
    }

    private static String stripPrefix(String target, int prefixLength) {
        String rest = target.substring(prefixLength);
        if (rest.isEmpty() || rest.charAt(0) != '/') {
            return "/" + rest;
        }
        return rest;
    }
}
