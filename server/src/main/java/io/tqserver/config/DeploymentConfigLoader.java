package io.tqserver.config;

import java.nio.file.Path;
import java.util.List;

/**
 * Reads one target from {@code config/deployment.yaml}:
 *
 * <pre>
 * targets:
 *   production:
 *     host: deploy@app1.example.com   # absent for a folder on this machine
 *     path: /opt/tqserver
 *     control_port: 8079
 *     swap_timeout_seconds: 120       # 120 when absent
 * </pre>
 */
public final class DeploymentConfigLoader {

    static final int DEFAULT_SWAP_TIMEOUT_SECONDS = 120;

    private DeploymentConfigLoader() {
    }

    /**
     * Reads target {@code name}.
     *
     * @throws ConfigException when the file is missing or invalid, or has no such target
     */
    public static DeploymentTarget load(Path file, String name) throws ConfigException {
        YamlSection root = YamlConfigFile.read(file).orElseThrow(() -> new ConfigException(
                file, 0, "not found (expected: a deployment.yaml with a targets section)"));
        YamlSection targets = root.section("targets");
        List<String> names = targets.keys();
        if (!names.contains(name)) {
            throw targets.missing(name, "one of the targets " + String.join(", ", names));
        }
        YamlSection target = targets.section(name);
        String host = target.stringOrNull("host", null);
        String path = target.string("path", null);
        int controlPort = target.intValue("control_port", 0, 1, 65535);
        int swapTimeout = target.intValue("swap_timeout_seconds", DEFAULT_SWAP_TIMEOUT_SECONDS,
                1, Integer.MAX_VALUE);
        root.rejectUnknownKeys();
        if (path == null) {
            throw target.missing("path", "the TQServer folder on the target");
        }
        if (controlPort == 0) {
            throw target.missing("control_port", "server.control_port of the target");
        }
        return new DeploymentTarget(name, host, path, controlPort, swapTimeout);
    }
}
