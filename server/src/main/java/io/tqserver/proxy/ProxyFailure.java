package io.tqserver.proxy;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Reasons the proxy answers a request itself instead of relaying a worker's response. Each
 * reason has exactly one status, so that the mapping lives in one place.
 */
enum ProxyFailure {
    BAD_REQUEST(HttpResponseStatus.BAD_REQUEST, "The request is malformed."),
    URI_TOO_LONG(HttpResponseStatus.REQUEST_URI_TOO_LONG, "The request-target is too long."),
    HEADERS_TOO_LARGE(
            HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "The request header is too large."),
    REQUEST_TIMEOUT(HttpResponseStatus.REQUEST_TIMEOUT, "The request took too long to arrive."),
    VERSION_NOT_SUPPORTED(
            HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, "Only HTTP/1.0 and HTTP/1.1 are served."),
    NO_ROUTE(HttpResponseStatus.NOT_FOUND, "No worker serves this path."),
    NO_FILE(HttpResponseStatus.NOT_FOUND, "No file or script serves this path."),
    BODY_TOO_LARGE(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "The request body is too large."),
    BUILD_FAILED(HttpResponseStatus.INTERNAL_SERVER_ERROR, "The worker's latest build or configuration is invalid."),
    NO_INSTANCE(HttpResponseStatus.SERVICE_UNAVAILABLE, "The worker is starting or restarting."),
    WORKER_UNREACHABLE(HttpResponseStatus.BAD_GATEWAY, "The worker could not be reached."),
    WORKER_CLOSED(HttpResponseStatus.BAD_GATEWAY, "The worker closed the connection."),
    WORKER_INVALID_RESPONSE(HttpResponseStatus.BAD_GATEWAY, "The worker sent an invalid response."),
    WORKER_TIMEOUT(HttpResponseStatus.GATEWAY_TIMEOUT, "The worker did not answer in time.");

    private final HttpResponseStatus status;
    private final String description;

    ProxyFailure(HttpResponseStatus status, String description) {
        this.status = status;
        this.description = description;
    }

    HttpResponseStatus status() {
        return status;
    }

    String description() {
        return description;
    }
}
