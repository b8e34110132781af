package io.tqserver.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads a configuration file into a node tree with line numbers. Only SnakeYAML's composer runs,
 * so no Java object is ever constructed from the file's tags.
 */
final class YamlConfigFile {

    /** Limits that no hand-written config file comes near, so a hostile file fails fast. */
    private static final int MAX_CODE_POINTS = 1 << 20;
    private static final int MAX_ALIASES_FOR_COLLECTIONS = 20;
    private static final int MAX_NESTING_DEPTH = 20;

    /** A line that starts a block-mapping entry: indentation, then a plain key and a colon. */
    private static final Pattern KEY_LINE =
            Pattern.compile("([ \\t]*)([A-Za-z0-9_.-]+):(?:\\s.*)?");

    private YamlConfigFile() {
    }

    /**
     * Reads and parses {@code file}.
     *
     * @return the document's root mapping, empty when the file contains no document, or an empty
     *     optional when the file does not exist
     * @throws ConfigException when the file cannot be read, is not UTF-8 or is not valid YAML
     */
    static Optional<YamlSection> read(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (CharacterCodingException e) {
            throw new ConfigException(file, 0, "invalid text (expected: UTF-8)", e);
        } catch (IOException e) {
            throw new ConfigException(file, 0, "read failed: " + e.getMessage(), e);
        }
        return Optional.of(YamlSection.root(file, compose(file, text)));
    }

    private static Node compose(Path file, String text) throws ConfigException {
        try {
            return new Yaml(new SafeConstructor(loaderOptions())).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            String problem = "invalid YAML: " + problemOf(e);
            if (e.getContextMark() == null && e.getProblemMark() != null) {
                problem += keyAt(text, e.getProblemMark().getLine())
                        .map(key -> " (key: " + key + ")").orElse("");
            }
            throw new ConfigException(file, lineOf(e), problem, e);
        } catch (YAMLException e) {
            throw new ConfigException(file, 0, "invalid YAML: " + e.getMessage(), e);
        }
    }

    private static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_CODE_POINTS);
        options.setMaxAliasesForCollections(MAX_ALIASES_FOR_COLLECTIONS);
        options.setNestingDepthLimit(MAX_NESTING_DEPTH);
        options.setAllowRecursiveKeys(false);
        return options;
    }

    private static int lineOf(MarkedYAMLException e) {
        Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        return mark == null ? 0 : mark.getLine() + 1;
    }

    /**
     * Returns the dotted path of the block-mapping key that line {@code index} (0-based) starts
     * with, such as {@code server.port}, read from the indentation of the lines above it. It is
     * empty when the line does not start with a plain {@code key:}, since the parser gave up
     * there and no node tree exists to ask.
     */
    static Optional<String> keyAt(String text, int index) {
        String[] lines = text.split("\r?\n", -1);
        if (index < 0 || index >= lines.length) {
            return Optional.empty();
        }
        Matcher line = KEY_LINE.matcher(lines[index]);
        if (!line.matches()) {
            return Optional.empty();
        }
        StringBuilder path = new StringBuilder(line.group(2));
        int indent = line.group(1).length();
        for (int i = index - 1; i >= 0 && indent > 0; i--) {
            Matcher parent = KEY_LINE.matcher(lines[i]);
            if (parent.matches() && parent.group(1).length() < indent) {
                path.insert(0, parent.group(2) + ".");
                indent = parent.group(1).length();
            }
        }
        return Optional.of(path.toString());
    }

    private static String problemOf(MarkedYAMLException e) {
        if (e.getContext() == null) {
            return e.getProblem();
        }
        if (e.getContextMark() == null) {
            return e.getProblem() + " (" + e.getContext() + ")";
        }
        return e.getProblem() + " (" + e.getContext() + " on line "
                + (e.getContextMark().getLine() + 1) + ")";
    }
}
