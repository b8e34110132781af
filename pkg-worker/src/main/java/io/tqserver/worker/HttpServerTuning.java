package io.tqserver.worker;

/**
 * System properties of the JDK's {@code sun.net.httpserver} implementation, tuned for a worker
 * behind a proxy that keeps connections open. The JDK reads them once, when the first
 * {@code HttpServer} is created, so {@link #apply()} must run before that. A property set on
 * the command line with {@code -D} wins.
 */
final class HttpServerTuning {

    /**
     * Seconds an idle connection stays open. The JDK default is 30; this is longer than the
     * proxy's default pooled-connection idle timeout of 120 s, so that the proxy closes idle
     * connections first and never reuses one that the worker has just closed.
     */
    static final String IDLE_INTERVAL_SECONDS = "300";

    /**
     * Maximum idle connections kept open. The JDK default is 200, and connections beyond it
     * are closed after each response, which makes a busy proxy reconnect.
     */
    static final String MAX_IDLE_CONNECTIONS = "1024";

    private HttpServerTuning() {
    }

    static void apply() {
        // Without TCP_NODELAY, small responses can wait for the client's delayed ACK.
        setIfAbsent("sun.net.httpserver.nodelay", "true");
        setIfAbsent("sun.net.httpserver.idleInterval", IDLE_INTERVAL_SECONDS);
        setIfAbsent("sun.net.httpserver.maxIdleConnections", MAX_IDLE_CONNECTIONS);
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
