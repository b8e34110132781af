package io.tqserver.worker;

import java.util.Locale;

/** Mode that TQServer runs the worker in, passed in {@code WORKER_MODE}. */
public enum WorkerMode {
    DEVELOPMENT("development"),
    PRODUCTION("production");

    private final String value;

    WorkerMode(String value) {
        this.value = value;
    }

    /** Returns the value as written in {@code WORKER_MODE}. */
    public String value() {
        return value;
    }

    /**
     * Returns the mode whose value is {@code text}, ignoring case.
     *
     * @throws IllegalArgumentException if {@code text} is neither {@code development} nor
     *     {@code production}
     */
    public static WorkerMode parse(String text) {
        String lower = text.trim().toLowerCase(Locale.ROOT);
        for (WorkerMode mode : values()) {
            if (mode.value.equals(lower)) {
                return mode;
            }
        }
        throw new IllegalArgumentException(
                "WORKER_MODE: " + text + " (expected: development or production)");
    }
}
