package io.tqserver.fastcgi;

/**
 * Text that the application wrote to FastCGI's stderr stream, such as PHP's {@code error_log()}
 * output. It belongs in the worker's log, never in the response to the client.
 */
public record FastCgiStderr(String text) {
}
