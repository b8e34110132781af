package io.tqserver.worker;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Table of handlers by method and path pattern. A pattern is an exact path such as
 * {@code /hello}, or a prefix such as {@code /static/*} that matches {@code /static} and every
 * path below it. An exact pattern wins over a prefix, and a longer prefix over a shorter one.
 * A {@code HEAD} request falls back to the {@code GET} handler.
 *
 * <p>Routes are added before the server starts and only read afterwards, so lookups need no
 * locking.
 */
final class Router {

    private final Map<String, Map<String, Handler>> exactRoutes = new HashMap<>();
    private final List<PrefixRoute> prefixRoutes = new ArrayList<>();

    /**
     * Handlers of one prefix pattern. For {@code /static/*}, {@code prefix} is
     * {@code /static/} and {@code base} is {@code /static}.
     */
    private record PrefixRoute(String prefix, String base, Map<String, Handler> handlers) {

        boolean matches(String path) {
            return path.startsWith(prefix) || path.equals(base);
        }
    }

    /**
     * Result of a lookup: the handler, or the methods allowed on the path when none matched
     * the method. Both empty means that no pattern matches the path.
     */
    record Match(Handler handler, Set<String> allowedMethods) {

        boolean found() {
            return handler != null;
        }
    }

    /**
     * Adds a handler for {@code method} on {@code pattern}.
     *
     * @throws IllegalArgumentException if the method or pattern is invalid, or if a handler
     *     is already registered for both
     */
    void add(String method, String pattern, Handler handler) {
        String normalizedMethod = normalizeMethod(method);
        Map<String, Handler> handlers = handlersOf(validatePattern(pattern));
        if (handlers.putIfAbsent(normalizedMethod, handler) != null) {
            throw new IllegalArgumentException(
                    "route " + normalizedMethod + " " + pattern + " is already registered");
        }
    }

    /** Finds the handler for a request. */
    Match find(String method, String path) {
        Set<String> allowed = new TreeSet<>();
        Map<String, Handler> exact = exactRoutes.get(path);
        if (exact != null) {
            Handler handler = handlerFor(exact, method);
            if (handler != null) {
                return new Match(handler, Set.of());
            }
            addAllowed(allowed, exact);
        }
        for (PrefixRoute route : prefixRoutes) {
            if (route.matches(path)) {
                Handler handler = handlerFor(route.handlers(), method);
                if (handler != null) {
                    return new Match(handler, Set.of());
                }
                addAllowed(allowed, route.handlers());
            }
        }
        return new Match(null, allowed);
    }

    private Map<String, Handler> handlersOf(String pattern) {
        if (!pattern.endsWith("/*")) {
            return exactRoutes.computeIfAbsent(pattern, key -> new LinkedHashMap<>());
        }
        String prefix = pattern.substring(0, pattern.length() - 1);
        for (PrefixRoute route : prefixRoutes) {
            if (route.prefix().equals(prefix)) {
                return route.handlers();
            }
        }
        String base = prefix.substring(0, prefix.length() - 1);
        PrefixRoute route = new PrefixRoute(prefix, base, new LinkedHashMap<>());
        prefixRoutes.add(route);
        prefixRoutes.sort(Comparator.comparingInt((PrefixRoute r) -> r.prefix().length())
                .reversed());
        return route.handlers();
    }

    private static Handler handlerFor(Map<String, Handler> handlers, String method) {
        Handler handler = handlers.get(method);
        if (handler == null && "HEAD".equals(method)) {
            return handlers.get("GET");
        }
        return handler;
    }

    private static void addAllowed(Set<String> allowed, Map<String, Handler> handlers) {
        allowed.addAll(handlers.keySet());
        if (handlers.containsKey("GET")) {
            allowed.add("HEAD");
        }
    }

    private static String normalizeMethod(String method) {
        if (method == null || method.isEmpty() || !method.chars().allMatch(Router::isLetter)) {
            throw new IllegalArgumentException(
                    "method: " + method + " (expected: letters only, such as GET)");
        }
        return method.toUpperCase(Locale.ROOT);
    }

    private static boolean isLetter(int c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z';
    }

    private static String validatePattern(String pattern) {
        boolean valid = pattern != null && pattern.startsWith("/")
                && pattern.indexOf('*') == (pattern.endsWith("/*") ? pattern.length() - 1 : -1)
                && pattern.indexOf('?') < 0;
        if (!valid) {
            throw new IllegalArgumentException("path: " + pattern
                    + " (expected: an exact path such as /hello or a prefix such as /static/*)");
        }
        return pattern;
    }
}
