package io.tqserver.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
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
            throw new ConfigException(file, lineOf(e), "invalid YAML: " + problemOf(e), e);
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
