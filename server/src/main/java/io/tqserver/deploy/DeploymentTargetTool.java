package io.tqserver.deploy;

import io.tqserver.config.ConfigException;
import io.tqserver.config.DeploymentConfigLoader;
import io.tqserver.config.DeploymentTarget;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Prints one target of {@code config/deployment.yaml} as shell assignments for
 * {@code scripts/deploy.sh}, so that the script reads YAML through the daemon's own loader and
 * its line-precise errors.
 *
 * <p>Usage: {@code DeploymentTargetTool FILE TARGET}. Exits 0 after printing, 2 when the file
 * or the target is invalid.
 */
public final class DeploymentTargetTool {

    private DeploymentTargetTool() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 2) {
            err.println("usage: DeploymentTargetTool FILE TARGET");
            return 2;
        }
        DeploymentTarget target;
        try {
            target = DeploymentConfigLoader.load(Path.of(args[0]), args[1]);
        } catch (ConfigException e) {
            err.println("deploy: " + e.getMessage());
            return 2;
        }
        out.println("target_host=" + quote(target.host() == null ? "" : target.host()));
        out.println("target_path=" + quote(target.path()));
        out.println("control_port=" + target.controlPort());
        out.println("swap_timeout=" + target.swapTimeoutSeconds());
        return 0;
    }

    /** Quotes {@code value} for a POSIX shell: single quotes, with each {@code '} escaped. */
    static String quote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
