package io.tqserver.worker;

/**
 * Code that serves the requests of one route. Handlers run on the runtime's thread pool, so
 * they may block.
 *
 * <p>A handler that returns without sending sends an empty body with the status set on the
 * response. A handler that throws {@link HttpStatusException} sends that status and message,
 * and any other exception becomes a 500 response and is logged.
 */
@FunctionalInterface
public interface Handler {

    /** Serves one request by writing to {@code response}. */
    void handle(Request request, Response response) throws Exception;
}
