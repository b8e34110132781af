package io.tqserver.proxy;

/**
 * Receives one {@link AccessRecord} per finished request, on the event loop that served the
 * request, so an implementation must return at once and never block.
 */
@FunctionalInterface
public interface AccessLogSink {

    /** A sink that drops every record, used when the access log is off. */
    AccessLogSink NONE = record -> { };

    void log(AccessRecord record);
}
