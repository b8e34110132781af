package io.tqserver.e2e;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The request as the {@code echo} test worker received it, parsed from the {@code key=value}
 * lines it sends back: {@code worker}, {@code pid}, {@code method}, {@code path},
 * {@code query}, {@code remote_port}, and {@code header.<lower-case name>} once per value.
 */
record EchoedRequest(Map<String, List<String>> values) {

    static EchoedRequest parse(String text) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                values.computeIfAbsent(line.substring(0, equals), key -> new ArrayList<>())
                        .add(line.substring(equals + 1));
            }
        }
        return new EchoedRequest(values);
    }

    /** Returns the first value of {@code key}, or {@code null} when the worker sent none. */
    String value(String key) {
        List<String> all = values.get(key);
        return all == null ? null : all.get(0);
    }

    String worker() {
        return value("worker");
    }

    long pid() {
        return Long.parseLong(value("pid"));
    }

    String path() {
        return value("path");
    }

    String query() {
        return value("query");
    }

    int remotePort() {
        return Integer.parseInt(value("remote_port"));
    }

    /** Returns every value the worker received for header {@code name}, in order. */
    List<String> header(String name) {
        return values.getOrDefault("header." + name.toLowerCase(java.util.Locale.ROOT), List.of());
    }
}
