package io.tqserver.cli;

/** Exit statuses of {@code tqserver}. */
final class ExitCodes {

    /** Stopped on request (SIGTERM, SIGINT) after a graceful shutdown. */
    static final int OK = 0;
    /** Failed while running, for example because the server port was taken. */
    static final int RUNTIME_FAILURE = 1;
    /** Rejected its command line or its configuration before starting. */
    static final int USAGE = 2;

    private ExitCodes() {
    }
}
