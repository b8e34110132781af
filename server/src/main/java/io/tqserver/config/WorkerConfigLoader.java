package io.tqserver.config;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import javax.lang.model.SourceVersion;

/**
 * Reads {@code {worker folder}/config/worker.yaml} into a {@link WorkerConfig}. The worker's name
 * is its folder's name.
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>default</th><th>allowed values</th></tr>
 *   <tr><td>{@code path}</td><td>required</td><td>URL path prefix such as {@code /api}; a
 *       trailing slash is removed unless the path is {@code /}</td></tr>
 *   <tr><td>{@code type}</td><td>{@code java}</td><td>{@code java}, {@code php},
 *       {@code bun} or {@code exec}</td></tr>
 *   <tr><td>{@code enabled}</td><td>{@code true}</td><td>{@code true} or {@code false}</td></tr>
 *   <tr><td>{@code runtime.max_procs}</td><td>2</td><td>0 or more; 0 means all CPUs</td></tr>
 *   <tr><td>{@code runtime.mem_limit}</td><td>0</td><td>size as read by {@link ByteSize};
 *       0 leaves the runtime's default</td></tr>
 *   <tr><td>{@code runtime.max_requests}</td><td>0</td><td>0 or more; 0 means unlimited</td>
 *       </tr>
 *   <tr><td>{@code timeouts.read_timeout_seconds}, {@code timeouts.write_timeout_seconds},
 *       {@code timeouts.idle_timeout_seconds}</td><td>30, 30, 120</td><td>1 or more</td></tr>
 *   <tr><td>{@code logging.log_file}</td><td>{@value #DEFAULT_LOG_FILE}</td><td>file pattern
 *       with optional {@code {name}} and {@code {date}}; {@code ~}, nothing or {@code ""}
 *       discards the output</td></tr>
 *   <tr><td>{@code logging.log_max_history}</td><td>30</td><td>days of rolled files kept, 1 or
 *       more</td></tr>
 *   <tr><td>{@code java.main_class}</td><td>none</td><td>fully qualified class name</td></tr>
 *   <tr><td>{@code java.jvm_options}</td><td>none</td><td>list of strings</td></tr>
 *   <tr><td>{@code bun.binary}</td><td>see {@link WorkerConfig.Bun}</td><td>path of a
 *       {@code bun} executable</td></tr>
 *   <tr><td>{@code bun.entrypoint}</td><td>{@code index.ts}</td><td>relative path inside the
 *       worker's folder</td></tr>
 *   <tr><td>{@code bun.options}</td><td>none</td><td>list of strings</td></tr>
 *   <tr><td>{@code exec.build}</td><td>none</td><td>list of strings: program and
 *       arguments</td></tr>
 *   <tr><td>{@code exec.command}</td><td>required when {@code type: exec}</td><td>non-empty
 *       list of strings: program and arguments</td></tr>
 *   <tr><td>{@code document_root}</td><td>{@code public}</td><td>folder under the worker
 *       folder (PHP)</td></tr>
 *   <tr><td>{@code front_controller}</td><td>{@code index.php}</td><td>script under the
 *       document root; {@code ~} turns it off (PHP)</td></tr>
 *   <tr><td>{@code php.binary}</td><td>newest {@code /usr/sbin/php-fpm*}</td><td>path of
 *       php-fpm</td></tr>
 *   <tr><td>{@code php.config_file}</td><td>php-fpm's own php.ini</td><td>path relative to
 *       the worker folder</td></tr>
 *   <tr><td>{@code php.settings}</td><td>none</td><td>map of ini names to values</td></tr>
 *   <tr><td>{@code php.pool.manager}</td><td>{@code dynamic}</td><td>{@code static},
 *       {@code dynamic} or {@code ondemand}</td></tr>
 *   <tr><td>{@code php.pool.min_workers}, {@code php.pool.start_workers},
 *       {@code php.pool.max_workers}</td><td>1, 2, 8</td><td>1 or more, with min and start
 *       not above max</td></tr>
 *   <tr><td>{@code php.pool.max_requests}</td><td>1000</td><td>0 or more; 0 means
 *       unlimited</td></tr>
 *   <tr><td>{@code php.pool.request_timeout}</td><td>0</td><td>seconds, 0 or more; 0 means
 *       none</td></tr>
 *   <tr><td>{@code php.pool.idle_timeout}</td><td>10</td><td>seconds, 1 or more</td></tr>
 *   <tr><td>{@code php.pool.listen_address}</td><td>{@code 127.0.0.1}</td><td>a loopback IP
 *       address</td></tr>
 * </table>
 *
 * <p>A {@code bun}, {@code exec} or {@code php} section in a worker of another type is rejected, because
 * it would be ignored.
 *
 * <p>{@code runtime.go_max_procs} and {@code runtime.go_mem_limit} are deprecated aliases of
 * {@code runtime.max_procs} and {@code runtime.mem_limit}. They are read with a warning, and a
 * file that sets both spellings is rejected.
 */
public final class WorkerConfigLoader {

    /** Worker log file pattern used when {@code logging.log_file} is absent. */
    public static final String DEFAULT_LOG_FILE = "logs/worker_{name}_{date}.log";

    private static final String PATH_EXPECTED = "a URL path such as / or /api, without ?, #,"
            + " spaces, //, dot segments or characters that need percent-encoding";
    private static final String TYPE_EXPECTED = "one of java, php, bun, exec";
    private static final String MEM_LIMIT_EXPECTED =
            "a size such as 536870912, 512MiB, 1GiB, 256MB or 1G";
    private static final String MAIN_CLASS_EXPECTED =
            "a fully qualified class name such as com.example.Main";
    private static final String ENTRYPOINT_EXPECTED =
            "a relative path inside the worker folder, such as index.ts or src/server.ts";
    private static final String COMMAND_EXPECTED =
            "a list of program and arguments, such as [python3, server.py]";

    /** An absolute path made of the segment characters (pchar) of RFC 3986. */
    private static final Pattern ROUTE_PATH =
            Pattern.compile("(/([A-Za-z0-9\\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})*)+");

    private WorkerConfigLoader() {
    }

    /**
     * Reads and validates {@code workerFolder/config/worker.yaml}.
     *
     * @throws ConfigException when the file is missing or cannot be read, is not valid YAML,
     *     lacks {@code path}, has an unknown key or has an invalid value
     */
    public static WorkerConfig load(Path workerFolder) throws ConfigException {
        Path file = workerFolder.resolve("config").resolve("worker.yaml");
        YamlSection root = YamlConfigFile.read(file).orElseThrow(() -> new ConfigException(file,
                0, "not found (expected: a worker.yaml that sets at least path)"));
        String path = root.parsed("path", null, PATH_EXPECTED, WorkerConfigLoader::parsePath);
        WorkerType type = root.parsed("type", WorkerType.JAVA, TYPE_EXPECTED,
                WorkerConfigLoader::parseType);
        boolean enabled = root.bool("enabled", true);
        WorkerConfig.Runtime runtime = readRuntime(root.section("runtime"));
        WorkerConfig.Timeouts timeouts = readTimeouts(root.section("timeouts"));
        YamlSection logging = root.section("logging");
        String logFile = logging.logFilePattern("log_file", DEFAULT_LOG_FILE,
                List.of("{name}", "{date}"));
        int logMaxHistory = logging.intValue("log_max_history",
                WorkerConfig.DEFAULT_LOG_MAX_HISTORY, 1, Integer.MAX_VALUE);
        WorkerConfig.Java java = readJava(root.section("java"));
        WorkerConfig.Bun bun = readBun(root.section("bun"));
        YamlSection execSection = root.section("exec");
        WorkerConfig.Exec exec = readExec(execSection);
        WorkerConfig.Php php = PhpSettingsReader.read(root);

        // Unknown keys come before a missing path, so that a misspelt path is named as such.
        root.rejectUnknownKeys();
        if (path == null) {
            throw root.missing("path", PATH_EXPECTED);
        }
        rejectSectionOfOtherType(root, type, WorkerType.BUN);
        rejectSectionOfOtherType(root, type, WorkerType.EXEC);
        rejectSectionOfOtherType(root, type, WorkerType.PHP);
        if (type == WorkerType.EXEC && exec.command().isEmpty()) {
            throw execSection.missing("command", COMMAND_EXPECTED);
        }
        return new WorkerConfig(folderName(workerFolder), workerFolder, file, path, type,
                enabled, runtime, timeouts, logFile, java, bun, exec, logMaxHistory, php);
    }

    private static WorkerConfig.Runtime readRuntime(YamlSection section)
            throws ConfigException {
        WorkerConfig.Runtime defaults = WorkerConfig.Runtime.DEFAULTS;
        String maxProcsKey = section.resolveAlias("max_procs", "go_max_procs");
        int maxProcs = section.intValue(maxProcsKey, defaults.maxProcs(), 0, Integer.MAX_VALUE);
        String memLimitKey = section.resolveAlias("mem_limit", "go_mem_limit");
        long memLimit = section.parsed(memLimitKey, defaults.memLimitBytes(),
                MEM_LIMIT_EXPECTED, ByteSize::parse);
        long maxRequests = section.integer("max_requests", defaults.maxRequests(), 0,
                Long.MAX_VALUE);
        return new WorkerConfig.Runtime(maxProcs, memLimit, maxRequests);
    }

    private static WorkerConfig.Timeouts readTimeouts(YamlSection section)
            throws ConfigException {
        WorkerConfig.Timeouts defaults = WorkerConfig.Timeouts.DEFAULTS;
        return new WorkerConfig.Timeouts(
                section.seconds("read_timeout_seconds", defaults.readTimeout()),
                section.seconds("write_timeout_seconds", defaults.writeTimeout()),
                section.seconds("idle_timeout_seconds", defaults.idleTimeout()));
    }

    private static WorkerConfig.Java readJava(YamlSection section) throws ConfigException {
        String mainClass = section.stringOrNull("main_class", null);
        if (mainClass != null && !SourceVersion.isName(mainClass)) {
            throw section.invalid("main_class", MAIN_CLASS_EXPECTED);
        }
        List<String> jvmOptions = section.stringList("jvm_options");
        return new WorkerConfig.Java(mainClass, jvmOptions);
    }

    private static WorkerConfig.Bun readBun(YamlSection section) throws ConfigException {
        WorkerConfig.Bun defaults = WorkerConfig.Bun.DEFAULTS;
        String binary = section.stringOrNull("binary", defaults.binary());
        String entrypoint = section.parsed("entrypoint", defaults.entrypoint(),
                ENTRYPOINT_EXPECTED, WorkerConfigLoader::parseEntrypoint);
        List<String> options = section.stringList("options");
        return new WorkerConfig.Bun(binary, entrypoint, options);
    }

    private static WorkerConfig.Exec readExec(YamlSection section) throws ConfigException {
        List<String> build = section.stringList("build");
        List<String> command = section.stringList("command");
        if (section.contains("command") && command.isEmpty()) {
            throw section.invalid("command", COMMAND_EXPECTED);
        }
        return new WorkerConfig.Exec(build, command);
    }

    /** Rejects the section named after {@code sectionType} unless the worker is of that type. */
    private static void rejectSectionOfOtherType(
            YamlSection root, WorkerType type, WorkerType sectionType) throws ConfigException {
        String key = sectionType.key();
        if (type != sectionType && root.contains(key)) {
            throw root.invalid(key, "no " + key + " section, because type is " + type.key()
                    + ", not " + key);
        }
    }

    /** Checks that a Bun entrypoint is a relative path that stays inside the worker folder. */
    static String parseEntrypoint(String text) {
        Path path = Path.of(text);
        if (text.isBlank() || path.isAbsolute() || path.normalize().startsWith("..")) {
            throw new IllegalArgumentException("entrypoint outside the worker folder: " + text);
        }
        return text;
    }

    /** Checks a route prefix and removes its trailing slash, unless the path is {@code /}. */
    static String parsePath(String text) {
        if (!ROUTE_PATH.matcher(text).matches() || text.contains("//")) {
            throw new IllegalArgumentException("invalid route path: " + text);
        }
        for (String segment : text.split("/")) {
            if (segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("dot segment in route path: " + text);
            }
        }
        boolean trailingSlash = text.length() > 1 && text.endsWith("/");
        return trailingSlash ? text.substring(0, text.length() - 1) : text;
    }

    private static WorkerType parseType(String text) {
        for (WorkerType type : WorkerType.values()) {
            if (type.key().equals(text)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown worker type: " + text);
    }

    private static String folderName(Path workerFolder) {
        Path name = workerFolder.toAbsolutePath().normalize().getFileName();
        if (name == null) {
            throw new IllegalArgumentException("worker folder has no name: " + workerFolder);
        }
        return name.toString();
    }
}
