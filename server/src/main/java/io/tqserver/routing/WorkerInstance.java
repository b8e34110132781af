package io.tqserver.routing;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One running process of a worker, as both the supervisor and the proxy see it. The supervisor
 * moves it through its states; the proxy counts the requests and tunnels it sends to it and
 * attaches its connection pool to {@link #stopped()} so that the pool closes with the process.
 *
 * <p>States run {@code STARTING → READY → DRAINING → STOPPED}, with {@code FAILED} from any
 * state. Only a READY instance takes new requests.
 */
public final class WorkerInstance {

    /** Lifecycle state of an instance. */
    public enum State { STARTING, READY, DRAINING, STOPPED, FAILED }

    private final String workerName;
    private final InetSocketAddress address;
    private final WorkerProtocol protocol;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger openTunnels = new AtomicInteger();
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong workerResponses = new AtomicLong();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private volatile State state = State.STARTING;
    private volatile long pid = -1;

    /** Creates an instance that speaks HTTP on 127.0.0.1:{@code port}. */
    public WorkerInstance(String workerName, int port) {
        this(workerName, new InetSocketAddress("127.0.0.1", port), WorkerProtocol.HTTP);
    }

    public WorkerInstance(String workerName, InetSocketAddress address, WorkerProtocol protocol) {
        this.workerName = workerName;
        this.address = address;
        this.protocol = protocol;
    }

    public String workerName() {
        return workerName;
    }

    public InetSocketAddress address() {
        return address;
    }

    /** Returns how the proxy talks to this instance. */
    public WorkerProtocol protocol() {
        return protocol;
    }

    public int port() {
        return address.getPort();
    }

    /** Returns the process id, or -1 before the process has started. */
    public long pid() {
        return pid;
    }

    public void pid(long pid) {
        this.pid = pid;
    }

    public State state() {
        return state;
    }

    /** Returns the number of requests sent to this instance that have not completed. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Returns the number of upgraded connections, such as WebSockets, open to this instance. */
    public int openTunnels() {
        return openTunnels.get();
    }

    /** Returns the number of requests this instance has completed. */
    public long served() {
        return served.get();
    }

    /**
     * Returns the number of response heads this instance has sent. Unlike {@link #served()}, it
     * leaves out requests the proxy ended itself, such as with 502 or 504.
     */
    public long workerResponses() {
        return workerResponses.get();
    }

    /** Counts a response head, final or informational, received from this instance. */
    public void countWorkerResponse() {
        workerResponses.incrementAndGet();
    }

    /**
     * Counts a request as sent to this instance, unless the instance no longer takes requests.
     * The count goes up before the state is read, so that {@link #drain()} never misses a request
     * that passed the check.
     *
     * @return whether the request may use this instance; when true, call {@link #endRequest()}
     */
    public boolean beginRequest() {
        inFlight.incrementAndGet();
        if (state == State.READY) {
            return true;
        }
        endRequest();
        return false;
    }

    /** Counts a request begun with {@link #beginRequest()} as complete. */
    public void endRequest() {
        served.incrementAndGet();
        inFlight.decrementAndGet();
        completeDrainIfIdle();
    }

    /**
     * Turns a request begun with {@link #beginRequest()} into an open tunnel: the connection was
     * upgraded, for example to a WebSocket, and stays with this instance until
     * {@link #closeTunnel()}. A drain waits for open tunnels as it does for requests.
     */
    public void openTunnel() {
        openTunnels.incrementAndGet();
        endRequest();
    }

    /** Counts a tunnel opened with {@link #openTunnel()} as closed. */
    public void closeTunnel() {
        openTunnels.decrementAndGet();
        completeDrainIfIdle();
    }

    private void completeDrainIfIdle() {
        // Requests are read before tunnels: openTunnel() adds its tunnel before it ends the
        // request, so a zero request count read here implies the tunnel count is already up.
        if (state != State.READY && inFlight.get() == 0 && openTunnels.get() == 0) {
            drained.complete(null);
        }
    }

    /** Marks the instance as taking requests. */
    public void markReady() {
        state = State.READY;
    }

    /**
     * Stops new requests from reaching this instance.
     *
     * @return a future that completes once no request is in flight and no tunnel is open
     */
    public CompletableFuture<Void> drain() {
        state = State.DRAINING;
        completeDrainIfIdle();
        return drained;
    }

    /** Marks the process as gone, completing {@link #stopped()} and {@link #drain()}. */
    public void markStopped(boolean failed) {
        state = failed ? State.FAILED : State.STOPPED;
        drained.complete(null);
        stopped.complete(null);
    }

    /** Returns a future that completes when the process has exited. */
    public CompletableFuture<Void> stopped() {
        return stopped;
    }

    @Override
    public String toString() {
        return "worker=" + workerName + " pid=" + pid + " port=" + port();
    }
}
