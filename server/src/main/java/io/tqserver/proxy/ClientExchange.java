package io.tqserver.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;

/**
 * One request of a client connection and its response, as {@link FrontendHandler} drives it:
 * relayed over HTTP by {@link ProxyExchange} or over FastCGI by {@link FastCgiExchange}.
 */
abstract class ClientExchange {

    /** Starts the exchange once the request head has arrived. */
    abstract void start();

    /** Takes the next part of the request body; the last part is a {@code LastHttpContent}. */
    abstract void onClientContent(HttpContent content);

    abstract void onClientWritabilityChanged(boolean writable);

    /** Handles the client connection closing before the exchange ended. */
    abstract void onClientClosed();

    abstract ChannelHandlerContext clientContext();

    /** Returns whether the whole request has been read, so the connection can carry another. */
    abstract boolean isRequestComplete();

    /**
     * Returns whether the client sent {@code Expect: 100-continue} and was never told to send
     * the body, so the rest of the body will not come and need not be read and dropped.
     */
    abstract boolean isBodyWithheld();

    /** Handles the end of one read from the worker connection. */
    abstract void onWorkerReadComplete();

    abstract void onWorkerWritabilityChanged(boolean writable);

    /** Handles the worker connection closing before the exchange ended. */
    abstract void onWorkerClosed();
}
