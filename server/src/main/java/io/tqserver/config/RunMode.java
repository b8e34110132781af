package io.tqserver.config;

/** Whether TQServer runs for a developer or in production, chosen with {@code --mode}. */
public enum RunMode {
    DEV("development"),
    PROD("production");

    private final String workerMode;

    RunMode(String workerMode) {
        this.workerMode = workerMode;
    }

    /** Returns the value passed to workers in {@code WORKER_MODE}. */
    public String workerMode() {
        return workerMode;
    }
}
