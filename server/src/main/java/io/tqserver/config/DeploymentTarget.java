package io.tqserver.config;

/**
 * One target of {@code config/deployment.yaml}: where {@code scripts/deploy.sh} copies
 * artifacts to and which TQServer it asks to swap them in.
 *
 * @param name the target's key under {@code targets}
 * @param host {@code user@host} reached over ssh and rsync, or {@code null} for a folder on this
 *     machine
 * @param path the TQServer folder on the target, such as {@code /opt/tqserver}
 * @param controlPort {@code server.control_port} of the TQServer on the target
 * @param swapTimeoutSeconds how long one worker's swap may take before the deploy rolls back
 */
public record DeploymentTarget(
        String name, String host, String path, int controlPort, int swapTimeoutSeconds) {
}
