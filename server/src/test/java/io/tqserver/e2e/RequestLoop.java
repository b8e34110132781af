package io.tqserver.e2e;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends {@code GET target} to a daemon over and over on a few threads, each request on a new
 * connection, and counts what failed: any status but 200, or an I/O error. Bounded by
 * {@code maxRequests} per thread and by the time given to {@link #start}.
 */
final class RequestLoop implements AutoCloseable {

    private final int port;
    private final String target;
    private final int maxRequests;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicInteger succeeded = new AtomicInteger();
    private final List<String> failures = new ArrayList<>();
    private final Set<String> bodies = ConcurrentHashMap.newKeySet();
    private volatile boolean stopped;

    private RequestLoop(int port, String target, int maxRequests) {
        this.port = port;
        this.target = target;
        this.maxRequests = maxRequests;
    }

    /** Starts {@code threadCount} threads that each send at most {@code maxRequests}. */
    static RequestLoop start(int port, String target, int threadCount, int maxRequests,
            Duration maxTime) {
        RequestLoop loop = new RequestLoop(port, target, maxRequests);
        long deadline = System.nanoTime() + maxTime.toNanos();
        for (int i = 0; i < threadCount; i++) {
            Thread thread = new Thread(() -> loop.run(deadline), "request-loop-" + i);
            thread.setDaemon(true);
            loop.threads.add(thread);
            thread.start();
        }
        return loop;
    }

    private void run(long deadlineNanos) {
        for (int i = 0; i < maxRequests && !stopped && System.nanoTime() < deadlineNanos; i++) {
            try {
                HttpResponse response = HttpConnection.get(port, target);
                if (response.status() == 200) {
                    succeeded.incrementAndGet();
                    bodies.add(response.bodyText());
                } else {
                    fail(response.statusLine() + " " + response.bodyText());
                }
            } catch (IOException e) {
                fail(e.toString());
            }
        }
    }

    private synchronized void fail(String failure) {
        failures.add(failure);
    }

    int succeeded() {
        return succeeded.get();
    }

    synchronized List<String> failures() {
        return List.copyOf(failures);
    }

    /** Returns the distinct response bodies, such as the pids of the instances that answered. */
    Set<String> bodies() {
        return Set.copyOf(bodies);
    }

    /** Waits until every thread has sent its requests or run out of time. */
    RequestLoop awaitDone() throws InterruptedException {
        for (Thread thread : threads) {
            thread.join();
        }
        return this;
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        awaitDone();
    }
}
