package io.tqserver.worker;

/**
 * Exception that ends a request with a given status and a text message as the body. Handlers
 * throw it for client errors such as 400 or 413, and the runtime throws it for invalid query
 * strings and oversized bodies. The runtime does not log it.
 */
public class HttpStatusException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    /**
     * Creates an exception for {@code status} with {@code message} as the response body.
     *
     * @throws IllegalArgumentException if {@code status} is not from 400 to 599
     */
    public HttpStatusException(int status, String message) {
        super(message);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status: " + status + " (expected: 400 to 599)");
        }
        this.status = status;
    }

    /** Returns the HTTP status code to send. */
    public int status() {
        return status;
    }
}
