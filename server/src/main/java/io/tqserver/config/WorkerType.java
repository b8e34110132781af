package io.tqserver.config;

import java.util.Locale;

/** Runtime a worker runs on, as named by the {@code type} key of {@code worker.yaml}. */
public enum WorkerType {
    JAVA,
    PHP,
    BUN,
    /** Any command that follows the worker contract of {@code docs/workers.md}. */
    EXEC;

    /** Returns the name used in {@code worker.yaml}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
