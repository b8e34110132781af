package io.tqserver.worker;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decoded parameters of a query string in {@code application/x-www-form-urlencoded} form,
 * where {@code +} is a space and escapes are percent-encoded UTF-8.
 */
final class QueryString {

    private static final QueryString EMPTY = new QueryString(Map.of());

    private final Map<String, List<String>> parameters;

    private QueryString(Map<String, List<String>> parameters) {
        this.parameters = parameters;
    }

    /**
     * Parses a raw query string; {@code null} or {@code ""} give no parameters.
     *
     * @throws HttpStatusException with status 400 if an escape is malformed
     */
    static QueryString parse(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return EMPTY;
        }
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            parameters.computeIfAbsent(name, key -> new ArrayList<>(1)).add(value);
        }
        parameters.replaceAll((name, values) -> Collections.unmodifiableList(values));
        return new QueryString(Collections.unmodifiableMap(parameters));
    }

    List<String> values(String name) {
        return parameters.getOrDefault(name, List.of());
    }

    Map<String, List<String>> all() {
        return parameters;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new HttpStatusException(400, "invalid query string: " + e.getMessage());
        }
    }
}
