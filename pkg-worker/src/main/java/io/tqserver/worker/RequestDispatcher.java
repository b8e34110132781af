package io.tqserver.worker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Entry point of every request that the JDK server accepts: answers {@code /health}, finds
 * the route's handler, runs it and maps its failures to responses. It counts the request as
 * in flight for the whole time so that a graceful stop can wait for it.
 */
final class RequestDispatcher implements HttpHandler {

    /** Path that the runtime answers itself. */
    static final String HEALTH_PATH = "/health";

    private static final WorkerLog log = WorkerLog.stderr();

    private final Router router;
    private final BooleanSupplier healthCheck;
    private final InFlightRequests inFlight;
    private final BooleanSupplier draining;
    private final String workerId;
    private final LogRateLimiter failureLogLimit =
            new LogRateLimiter(10, TimeUnit.MINUTES.toNanos(1));

    /**
     * Creates a dispatcher.
     *
     * @param workerId {@code worker=… port=…} pairs that start each log line
     */
    RequestDispatcher(
            Router router, BooleanSupplier healthCheck, InFlightRequests inFlight,
            BooleanSupplier draining, String workerId) {
        this.router = router;
        this.healthCheck = healthCheck;
        this.inFlight = inFlight;
        this.draining = draining;
        this.workerId = workerId;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        // Counted before the draining check, so a stop that starts in between still waits.
        inFlight.begin();
        try {
            if (!dispatch(exchange)) {
                // Throwing without closing the exchange makes the JDK server close the
                // connection, so the client sees a truncated body instead of a complete one.
                throw new IOException("response aborted after a handler failure");
            }
            exchange.close();
        } finally {
            inFlight.end();
        }
    }

    /** Serves one exchange and returns false if the response was committed and then failed. */
    private boolean dispatch(HttpExchange exchange) {
        Request request = new Request(exchange);
        Response response = new Response(exchange);
        boolean stopping = draining.getAsBoolean();
        if (stopping) {
            // Asks the proxy not to reuse this connection, which closes once drained.
            response.setHeader("Connection", "close");
        }
        try {
            if (HEALTH_PATH.equals(request.path())) {
                respondHealth(request, response, stopping);
            } else {
                route(request, response);
            }
            response.finish();
            return true;
        } catch (HttpStatusException e) {
            return sendError(response, e.status(), e.getMessage());
        } catch (IOException e) {
            // After the commit the usual cause is a client that went away: not worth a line.
            if (!response.isCommitted()) {
                logFailure(request, e, false);
            }
            return sendError(response, 500, "internal server error");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return sendError(response, 503, "request interrupted");
        } catch (Exception e) {
            logFailure(request, e, true);
            return sendError(response, 500, "internal server error");
        }
    }

    private void route(Request request, Response response) throws Exception {
        Router.Match match = router.find(request.method(), request.path());
        if (match.found()) {
            match.handler().handle(request, response);
        } else if (match.allowedMethods().isEmpty()) {
            response.status(404).send("not found: " + request.path());
        } else {
            response.setHeader("Allow", String.join(", ", match.allowedMethods()));
            response.status(405).send("method not allowed: " + request.method());
        }
    }

    private void respondHealth(Request request, Response response, boolean stopping)
            throws IOException {
        String method = request.method();
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            response.setHeader("Allow", "GET, HEAD");
            response.status(405).send("method not allowed: " + method);
        } else if (stopping) {
            response.status(503).send("draining");
        } else if (isHealthy()) {
            response.send("ok");
        } else {
            response.status(503).send("unhealthy");
        }
    }

    private boolean isHealthy() {
        try {
            return healthCheck.getAsBoolean();
        } catch (RuntimeException e) {
            log.warn("{} health check failed: {}", workerId, e);
            return false;
        }
    }

    private void logFailure(Request request, Exception e, boolean withStackTrace) {
        int suppressed = failureLogLimit.admit(System.nanoTime());
        if (suppressed < 0) {
            return;
        }
        String more = suppressed == 0 ? "" : " (" + suppressed + " similar lines suppressed)";
        if (withStackTrace) {
            log.error("{} handler failed: method={} path={}{}", workerId, request.method(),
                    request.path(), more, e);
        } else {
            log.warn("{} handler failed: method={} path={} error={}{}", workerId,
                    request.method(), request.path(), e, more);
        }
    }

    /**
     * Sends a text error body unless the response is already committed.
     *
     * @return false if the response was committed, so the exchange must be aborted
     */
    private static boolean sendError(Response response, int status, String message) {
        if (response.isCommitted()) {
            return false;
        }
        try {
            response.status(status).contentType("text/plain; charset=utf-8").send(message);
        } catch (IOException e) {
            // The client went away; the exchange is closed by the caller either way.
        }
        return true;
    }
}
