package io.tqserver.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the keys of {@code worker.yaml} that only PHP workers use: {@code document_root},
 * {@code front_controller} and the {@code php} section. {@link WorkerConfigLoader} lists them
 * with their defaults.
 */
final class PhpSettingsReader {

    private static final Set<String> MANAGERS = Set.of("static", "dynamic", "ondemand");
    /** Ini names as php-fpm's {@code php_value[name]} accepts them. */
    private static final Pattern INI_NAME = Pattern.compile("[A-Za-z0-9_.\\-]+");
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");

    private PhpSettingsReader() {
    }

    static WorkerConfig.Php read(YamlSection root) throws ConfigException {
        WorkerConfig.Php defaults = WorkerConfig.Php.DEFAULTS;
        String documentRoot = root.parsed("document_root", defaults.documentRoot(),
                "a folder inside the worker folder, such as public",
                PhpSettingsReader::parseRelativePath);
        String frontController =
                root.stringOrNull("front_controller", defaults.frontController());
        if (frontController != null) {
            // Checked on its own, because an empty value turns the front controller off.
            root.parsed("front_controller", null, "a .php file inside the document root",
                    PhpSettingsReader::parseScript);
        }
        YamlSection php = root.section("php");
        String binary = php.stringOrNull("binary", null);
        String configFile = php.stringOrNull("config_file", null);
        Map<String, String> settings = php.stringMap("settings");
        long maxBodyBytes = readPostMaxSize(php, settings, defaults.maxBodyBytes());
        WorkerConfig.Pool pool = readPool(php.section("pool"));
        return new WorkerConfig.Php(binary, configFile == null ? null : Path.of(configFile),
                settings, pool, documentRoot, frontController, maxBodyBytes);
    }

    private static long readPostMaxSize(
            YamlSection php, Map<String, String> settings, long defaultBytes)
            throws ConfigException {
        for (Map.Entry<String, String> setting : settings.entrySet()) {
            String name = setting.getKey();
            String value = setting.getValue();
            if (!INI_NAME.matcher(name).matches()) {
                throw php.invalidEntry("settings", name,
                        "an ini name made of letters, digits, _, . and -");
            }
            if (value.contains("\n") || value.contains("\r")) {
                throw php.invalidEntry("settings", name, "a value on one line");
            }
        }
        String postMaxSize = settings.get("post_max_size");
        if (postMaxSize == null) {
            return defaultBytes;
        }
        try {
            return ByteSize.parse(postMaxSize.trim());
        } catch (IllegalArgumentException e) {
            throw php.invalidEntry("settings", "post_max_size", "a size such as 8M or 64M");
        }
    }

    private static WorkerConfig.Pool readPool(YamlSection pool) throws ConfigException {
        WorkerConfig.Pool defaults = WorkerConfig.Pool.DEFAULTS;
        String manager = pool.parsed("manager", defaults.manager(),
                "one of static, dynamic, ondemand", PhpSettingsReader::parseManager);
        int maxWorkers = pool.intValue("max_workers", defaults.maxWorkers(), 1, 10_000);
        int minWorkers = pool.intValue("min_workers", Math.min(defaults.minWorkers(), maxWorkers),
                1, maxWorkers);
        int startWorkers = pool.intValue("start_workers",
                Math.max(minWorkers, Math.min(defaults.startWorkers(), maxWorkers)),
                minWorkers, maxWorkers);
        long maxRequests = pool.integer("max_requests", defaults.maxRequests(), 0,
                Long.MAX_VALUE);
        long requestTimeout = pool.integer("request_timeout",
                defaults.requestTimeout().toSeconds(), 0, Integer.MAX_VALUE);
        Duration idleTimeout = pool.seconds("idle_timeout", defaults.idleTimeout());
        String listenAddress = pool.parsed("listen_address", defaults.listenAddress(),
                "a loopback IP address such as 127.0.0.1 or ::1",
                PhpSettingsReader::parseLoopback);
        return new WorkerConfig.Pool(manager, minWorkers, maxWorkers, startWorkers, maxRequests,
                Duration.ofSeconds(requestTimeout), idleTimeout, listenAddress);
    }

    private static String parseManager(String text) {
        if (!MANAGERS.contains(text)) {
            throw new IllegalArgumentException("unknown process manager: " + text);
        }
        return text;
    }

    private static String parseLoopback(String text) {
        if (!IP_LITERAL.matcher(text).matches()) {
            throw new IllegalArgumentException("not an IP address: " + text);
        }
        try {
            if (!InetAddress.getByName(text).isLoopbackAddress()) {
                throw new IllegalArgumentException("not a loopback address: " + text);
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + text, e);
        }
        return text;
    }

    /** Accepts a relative path that stays inside the folder it is resolved against. */
    static String parseRelativePath(String text) {
        Path path = Path.of(text);
        if (text.isBlank() || path.isAbsolute() || path.normalize().startsWith("..")) {
            throw new IllegalArgumentException("path leaves its folder: " + text);
        }
        return text;
    }

    private static String parseScript(String text) {
        parseRelativePath(text);
        if (!text.endsWith(".php")) {
            throw new IllegalArgumentException("not a .php script: " + text);
        }
        return text;
    }
}
