package io.tqserver.proxy;

import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * One line of the access log: a request that the proxy finished, relayed or answered itself.
 *
 * @param time when the request arrived
 * @param client the client's IP address
 * @param method request method
 * @param target request-target as the client sent it
 * @param status status sent to the client, or 0 when none was sent because a connection
 *     closed first
 * @param bytes body bytes sent to the client
 * @param durationMillis time from the request's arrival to the end of the response
 * @param worker name of the worker that served the request, or {@code null} when the proxy
 *     answered itself
 */
public record AccessRecord(
        Instant time, String client, String method, String target, int status, long bytes,
        long durationMillis, String worker) {

    /**
     * Formats the record as space-separated fields in the order of the components, with
     * {@code -} for a missing status or worker, for example
     * {@code 2026-12-04T15:07:16.123Z 127.0.0.1 GET /api/items 200 512 3 api}.
     */
    public String toLogLine() {
        return DateTimeFormatter.ISO_INSTANT.format(time) + ' ' + client + ' ' + method + ' '
                + target + ' ' + (status == 0 ? "-" : Integer.toString(status)) + ' ' + bytes
                + ' ' + durationMillis + ' ' + (worker == null ? "-" : worker);
    }
}
