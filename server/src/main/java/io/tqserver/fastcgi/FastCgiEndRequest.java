package io.tqserver.fastcgi;

/**
 * The END_REQUEST record that ends a response.
 *
 * @param appStatus the application's exit status
 * @param protocolStatus {@link FastCgiRecord#REQUEST_COMPLETE}, or why the application rejected
 *     the request: 1 cannot multiplex, 2 overloaded, 3 unknown role
 */
public record FastCgiEndRequest(int appStatus, int protocolStatus) {

    /** Returns whether the request ran to its end. */
    public boolean isComplete() {
        return protocolStatus == FastCgiRecord.REQUEST_COMPLETE;
    }
}
