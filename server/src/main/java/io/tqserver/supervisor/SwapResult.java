package io.tqserver.supervisor;

/** Outcome of {@link Supervisor#swap(String)}. */
public enum SwapResult {
    /** A new instance is ready and the route sends new requests to it. */
    SWAPPED,
    /** The build failed; any previous instance still serves, and the route has the errors. */
    BUILD_FAILED,
    /** The new instance did not become healthy; the previous instance, if any, still serves. */
    START_FAILED,
    /** The edited {@code worker.yaml} is invalid; any previous instance keeps its settings. */
    CONFIG_INVALID,
    /** A later swap request replaced this one before it finished. */
    SUPERSEDED,
    /** The supervisor is stopping. */
    STOPPED
}
