package io.tqserver.runtime;

import io.tqserver.config.WorkerType;

/** Signals a worker whose type TQServer cannot build or launch yet. */
public final class UnsupportedRuntimeException extends Exception {

    private static final long serialVersionUID = 1L;

    public UnsupportedRuntimeException(WorkerType type) {
        super("type " + type.key() + " is not supported yet");
    }
}
