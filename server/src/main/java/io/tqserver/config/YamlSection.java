package io.tqserver.config;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * One YAML mapping of a configuration file, read through typed getters. Each getter validates
 * the value and throws a {@link ConfigException} that names the file, line, key and value, and
 * records the key as known, so that {@link #rejectUnknownKeys()} can report every other key with
 * a suggestion. Both config loaders share this class.
 */
final class YamlSection {

    private static final Logger log = LoggerFactory.getLogger(YamlSection.class);

    private static final Pattern DECIMAL_INTEGER = Pattern.compile("[-+]?[0-9]+");
    private static final int MAX_SHOWN_VALUE_LENGTH = 60;

    private final Path file;
    private final YamlSection root;
    private final String keyPrefix;
    private final Node node;
    private final Map<String, NodeTuple> entries;
    private final Set<String> knownKeys = new LinkedHashSet<>();
    private final Set<String> deprecatedKeys = new LinkedHashSet<>();
    private final List<YamlSection> sections = new ArrayList<>();

    private YamlSection(Path file, YamlSection root, String keyPrefix, Node node)
            throws ConfigException {
        this.file = file;
        this.root = root == null ? this : root;
        this.keyPrefix = keyPrefix;
        this.node = node;
        this.entries = node instanceof MappingNode mapping ? index(mapping) : Map.of();
    }

    /**
     * Wraps the root node of a document. A {@code null} node, as for an empty file, reads as a
     * mapping without keys.
     */
    static YamlSection root(Path file, Node node) throws ConfigException {
        if (node != null && !(node instanceof MappingNode) && !isNull(node)) {
            throw new ConfigException(file, lineOf(node),
                    describe(node) + " (expected: a map of keys)");
        }
        return new YamlSection(file, null, "", node);
    }

    /** Returns the nested mapping under {@code key}; absent or null reads as empty. */
    YamlSection section(String key) throws ConfigException {
        knownKeys.add(key);
        Node value = value(key);
        if (value != null && !(value instanceof MappingNode) && !isNull(value)) {
            throw invalid(key, value, "a map");
        }
        YamlSection section = new YamlSection(file, root, qualified(key) + ".", value);
        sections.add(section);
        return section;
    }

    /**
     * Returns the integer under {@code key}, or {@code defaultValue} when the key is absent.
     * Only a plain decimal integer is accepted; a quoted number is a string.
     */
    long integer(String key, long defaultValue, long min, long max) throws ConfigException {
        knownKeys.add(key);
        Node value = value(key);
        if (value == null) {
            return defaultValue;
        }
        BigInteger number = parseInteger(value);
        if (number == null || number.compareTo(BigInteger.valueOf(min)) < 0
                || number.compareTo(BigInteger.valueOf(max)) > 0) {
            throw invalid(key, value, integerRange(min, max, number));
        }
        return number.longValue();
    }

    /** Returns the {@code int} under {@code key}; see {@link #integer}. */
    int intValue(String key, int defaultValue, int min, int max) throws ConfigException {
        return (int) integer(key, defaultValue, min, max);
    }

    /**
     * Returns the whole number of seconds under {@code key}, which must be 1 or more, or
     * {@code defaultValue} when the key is absent.
     */
    Duration seconds(String key, Duration defaultValue) throws ConfigException {
        int defaultSeconds = (int) defaultValue.toSeconds();
        return Duration.ofSeconds(intValue(key, defaultSeconds, 1, Integer.MAX_VALUE));
    }

    /**
     * Returns the whole number of milliseconds under {@code key}, which must be 0 or more, or
     * {@code defaultValue} when the key is absent.
     */
    Duration millis(String key, Duration defaultValue) throws ConfigException {
        int defaultMillis = (int) defaultValue.toMillis();
        return Duration.ofMillis(intValue(key, defaultMillis, 0, Integer.MAX_VALUE));
    }

    /** Returns the boolean under {@code key}, or {@code defaultValue} when the key is absent. */
    boolean bool(String key, boolean defaultValue) throws ConfigException {
        knownKeys.add(key);
        Node value = value(key);
        if (value == null) {
            return defaultValue;
        }
        if (!(value instanceof ScalarNode scalar) || !Tag.BOOL.equals(scalar.getTag())) {
            throw invalid(key, value, "true or false");
        }
        String text = scalar.getValue().toLowerCase(Locale.ROOT);
        return text.equals("true") || text.equals("yes") || text.equals("on");
    }

    /**
     * Returns the string under {@code key}, or {@code defaultValue} when the key is absent. Any
     * scalar other than null is accepted as text.
     */
    String string(String key, String defaultValue) throws ConfigException {
        return parsed(key, defaultValue, "a string", Function.identity());
    }

    /**
     * Returns the string under {@code key}, {@code defaultValue} when the key is absent, or
     * {@code null} when the value is null ({@code ~} or nothing) or empty, which turns the
     * setting off.
     */
    String stringOrNull(String key, String defaultValue) throws ConfigException {
        knownKeys.add(key);
        Node value = value(key);
        if (value != null && (isNull(value) || isEmptyString(value))) {
            return null;
        }
        return string(key, defaultValue);
    }

    /**
     * Returns the log file pattern under {@code key}, with the same rules as
     * {@link #stringOrNull}. Logback cannot write a file name with {@code %}, and a brace other
     * than those of {@code placeholders} is most likely a misspelt placeholder, so both are
     * rejected.
     */
    String logFilePattern(String key, String defaultValue, List<String> placeholders)
            throws ConfigException {
        String pattern = stringOrNull(key, defaultValue);
        if (pattern == null) {
            return null;
        }
        String literal = pattern;
        for (String placeholder : placeholders) {
            literal = literal.replace(placeholder, "");
        }
        if (literal.contains("%") || literal.contains("{") || literal.contains("}")) {
            throw invalid(key, "a file path without % and with no placeholder other than "
                    + String.join(" and ", placeholders));
        }
        return pattern;
    }

    /**
     * Returns the value under {@code key} as converted by {@code parser}, or
     * {@code defaultValue} when the key is absent.
     *
     * @param expected what a valid value looks like, shown in the error message
     * @param parser converts the scalar's text, throwing {@link IllegalArgumentException} when
     *     it is invalid
     */
    <T> T parsed(String key, T defaultValue, String expected, Function<String, T> parser)
            throws ConfigException {
        knownKeys.add(key);
        Node value = value(key);
        if (value == null) {
            return defaultValue;
        }
        if (!(value instanceof ScalarNode scalar) || isNull(value)) {
            throw invalid(key, value, expected);
        }
        try {
            return parser.apply(scalar.getValue());
        } catch (IllegalArgumentException e) {
            throw invalid(key, value, expected);
        }
    }

    /** Returns the list of strings under {@code key}; absent or null reads as empty. */
    List<String> stringList(String key) throws ConfigException {
        knownKeys.add(key);
        Node value = value(key);
        if (value == null || isNull(value)) {
            return List.of();
        }
        if (!(value instanceof SequenceNode sequence)) {
            throw invalid(key, value, "a list of strings");
        }
        List<String> strings = new ArrayList<>();
        for (Node item : sequence.getValue()) {
            if (!(item instanceof ScalarNode scalar) || isNull(item)) {
                String itemKey = qualified(key) + "[" + strings.size() + "]";
                throw new ConfigException(file, lineOf(item),
                        itemKey + ": " + describe(item) + " (expected: a string)");
            }
            strings.add(scalar.getValue());
        }
        return strings;
    }

    /**
     * Returns the map of scalar values under {@code key}, in file order, with each value as
     * written; absent or null reads as empty.
     */
    Map<String, String> stringMap(String key) throws ConfigException {
        knownKeys.add(key);
        Node value = value(key);
        if (value == null || isNull(value)) {
            return Map.of();
        }
        if (!(value instanceof MappingNode)) {
            throw invalid(key, value, "a map of names to values");
        }
        YamlSection nested = new YamlSection(file, root, qualified(key) + ".", value);
        Map<String, String> strings = new LinkedHashMap<>();
        for (Map.Entry<String, NodeTuple> entry : nested.entries.entrySet()) {
            Node item = entry.getValue().getValueNode();
            if (!(item instanceof ScalarNode scalar) || isNull(item)) {
                throw nested.invalid(entry.getKey(), item, "a single value");
            }
            strings.put(entry.getKey(), scalar.getValue());
        }
        return strings;
    }

    /**
     * Returns an exception for the entry {@code name} of the map under {@code key}, which
     * passed {@link #stringMap} but is invalid for its own reasons. The entry must be present.
     */
    ConfigException invalidEntry(String key, String name, String expected)
            throws ConfigException {
        YamlSection nested = new YamlSection(file, root, qualified(key) + ".", value(key));
        return nested.invalid(name, expected);
    }

    /**
     * Returns which of two spellings of a setting to read: {@code key}, unless only its
     * deprecated alias is present. Logs a warning when the alias is used, and rejects a file
     * that sets both.
     */
    String resolveAlias(String key, String deprecatedKey) throws ConfigException {
        knownKeys.add(key);
        deprecatedKeys.add(deprecatedKey);
        Node deprecatedValue = value(deprecatedKey);
        if (deprecatedValue == null) {
            return key;
        }
        if (value(key) != null) {
            throw invalid(deprecatedKey, deprecatedValue, qualified(key) + " alone, because "
                    + qualified(deprecatedKey) + " is its deprecated alias");
        }
        log.warn("{}:{}: {} is deprecated, use {}", file, keyLine(deprecatedKey),
                qualified(deprecatedKey), qualified(key));
        return deprecatedKey;
    }

    /** Returns whether {@code key} is present, with any value including null. */
    boolean contains(String key) {
        return entries.containsKey(key);
    }

    /**
     * Returns an exception for a value that passed its own check but conflicts with another
     * key. The key must be present.
     */
    ConfigException invalid(String key, String expected) {
        return invalid(key, value(key), expected);
    }

    /**
     * Returns an exception for a required key that is absent, pointing at the section's line.
     */
    ConfigException missing(String key, String expected) {
        int line = node == null || root == this ? 0 : lineOf(node);
        return new ConfigException(file, line, qualified(key) + ": missing (expected: "
                + expected + ")");
    }

    /**
     * Returns the keys of this section in document order and marks them known, for a section
     * whose keys are names chosen by the user, such as the targets of a deployment file.
     */
    List<String> keys() {
        knownKeys.addAll(entries.keySet());
        return List.copyOf(entries.keySet());
    }

    /**
     * Throws for the first key, in document order, that no getter of this section or of its
     * nested sections asked for. The message suggests a known key of the same section within
     * {@link KeySuggestions#MAX_DISTANCE} edits, or else a key of the same name in another
     * section.
     */
    void rejectUnknownKeys() throws ConfigException {
        for (Map.Entry<String, NodeTuple> entry : entries.entrySet()) {
            String key = entry.getKey();
            if (!knownKeys.contains(key) && !deprecatedKeys.contains(key)) {
                throw new ConfigException(file, lineOf(entry.getValue().getKeyNode()),
                        qualified(key) + ": unknown key (" + suggestion(key) + ")");
            }
        }
        for (YamlSection section : sections) {
            section.rejectUnknownKeys();
        }
    }

    private String suggestion(String key) {
        Optional<String> sameSection = KeySuggestions.closest(key, knownKeys);
        if (sameSection.isPresent()) {
            return "did you mean " + qualified(sameSection.get()) + "?";
        }
        Optional<String> elsewhere = root.findQualified(key);
        if (elsewhere.isPresent()) {
            return "did you mean " + elsewhere.get() + "?";
        }
        return "expected: one of " + String.join(", ", knownKeys);
    }

    private Optional<String> findQualified(String key) {
        if (knownKeys.contains(key)) {
            return Optional.of(qualified(key));
        }
        for (YamlSection section : sections) {
            Optional<String> found = section.findQualified(key);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private Map<String, NodeTuple> index(MappingNode mapping) throws ConfigException {
        Map<String, NodeTuple> index = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode scalar) || isNull(keyNode)) {
                throw new ConfigException(file, lineOf(keyNode), describe(keyNode)
                        + " as a key" + (keyPrefix.isEmpty() ? "" : " in " + sectionName())
                        + " (expected: a key name)");
            }
            NodeTuple first = index.putIfAbsent(scalar.getValue(), tuple);
            if (first != null) {
                throw new ConfigException(file, lineOf(keyNode), qualified(scalar.getValue())
                        + ": duplicate key (expected: each key once, first set on line "
                        + lineOf(first.getKeyNode()) + ")");
            }
        }
        return Collections.unmodifiableMap(index);
    }

    private Node value(String key) {
        NodeTuple tuple = entries.get(key);
        return tuple == null ? null : tuple.getValueNode();
    }

    private int keyLine(String key) {
        return lineOf(entries.get(key).getKeyNode());
    }

    private ConfigException invalid(String key, Node value, String expected) {
        return new ConfigException(file, lineOf(value),
                qualified(key) + ": " + describe(value) + " (expected: " + expected + ")");
    }

    private String qualified(String key) {
        return keyPrefix + key;
    }

    private String sectionName() {
        return keyPrefix.substring(0, keyPrefix.length() - 1);
    }

    private static BigInteger parseInteger(Node value) {
        if (value instanceof ScalarNode scalar && Tag.INT.equals(scalar.getTag())
                && DECIMAL_INTEGER.matcher(scalar.getValue()).matches()) {
            return new BigInteger(scalar.getValue());
        }
        return null;
    }

    /**
     * Describes the allowed range. Open-ended ranges read as "of N or more", unless the value
     * is past the upper limit, which then needs stating.
     */
    private static String integerRange(long min, long max, BigInteger value) {
        boolean openEnded = max == Integer.MAX_VALUE || max == Long.MAX_VALUE;
        if (openEnded && (value == null || value.compareTo(BigInteger.valueOf(max)) <= 0)) {
            return "an integer of " + min + " or more";
        }
        return "an integer from " + min + " to " + max;
    }

    private static boolean isNull(Node node) {
        return Tag.NULL.equals(node.getTag());
    }

    private static boolean isEmptyString(Node node) {
        return node instanceof ScalarNode scalar && scalar.getValue().isEmpty();
    }

    private static int lineOf(Node node) {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }

    /** Shows a value as the user wrote it: plain text as is, quoted text in double quotes. */
    static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "a map";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        ScalarNode scalar = (ScalarNode) node;
        if (isNull(node)) {
            return "null";
        }
        String text = scalar.getValue();
        if (text.length() > MAX_SHOWN_VALUE_LENGTH) {
            text = text.substring(0, MAX_SHOWN_VALUE_LENGTH) + "...";
        }
        if (scalar.isPlain()) {
            return text;
        }
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")
                .replace("\t", "\\t") + '"';
    }
}
