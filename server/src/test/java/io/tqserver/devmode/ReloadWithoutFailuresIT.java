package io.tqserver.devmode;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Twenty blue/green swaps under a steady stream of requests: every response must be a 200 from
 * the old or the new code, including a 2-second request that is in flight during a swap.
 */
@Timeout(600)
class ReloadWithoutFailuresIT {

    private static final int RELOADS = 20;
    private static final int SLOW_REQUEST_AT = 10;

    @TempDir
    Path home;

    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final AtomicLong responses = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);

    @Test
    void everyRequestSucceedsAcrossTwentyReloads() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try (DevDaemon daemon = DevDaemon.start(home, "dev")) {
            clients.submit(() -> keepAliveLoop(daemon));
            clients.submit(() -> keepAliveLoop(daemon));
            clients.submit(() -> freshConnectionLoop(daemon));
            Future<String> slow = null;
            for (int reload = 1; reload <= RELOADS; reload++) {
                if (reload == SLOW_REQUEST_AT) {
                    slow = clients.submit(() -> daemon.getOnFreshConnection("/slow"));
                    TimeUnit.MILLISECONDS.sleep(100);
                }
                String version = "r" + reload;
                daemon.saveVersion(version);
                daemon.awaitResponse("/text", r -> r.statusCode() == 200
                        && r.body().equals(version));
            }
            running.set(false);
            assertThat(slow).isNotNull();
            String slowReply = slow.get(30, TimeUnit.SECONDS);
            assertThat(slowReply).startsWith("HTTP/1.1 200");
            assertThat(slowReply).endsWith("r" + (SLOW_REQUEST_AT - 1));
        } finally {
            running.set(false);
            clients.shutdown();
            assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(failures).isEmpty();
        assertThat(responses.get()).isGreaterThan(RELOADS);
    }

    private Void keepAliveLoop(DevDaemon daemon) {
        for (int sent = 0; sent < 100_000 && running.get(); sent++) {
            try {
                HttpResponse<String> response = daemon.get("/text", "*/*");
                check(response.statusCode() + " " + response.body());
                TimeUnit.MILLISECONDS.sleep(2);
            } catch (Exception e) {
                failures.add("keep-alive request failed: " + e);
            }
        }
        return null;
    }

    private Void freshConnectionLoop(DevDaemon daemon) {
        for (int sent = 0; sent < 100_000 && running.get(); sent++) {
            try {
                String reply = daemon.getOnFreshConnection("/text");
                int bodyStart = reply.indexOf("\r\n\r\n");
                String status = reply.substring(9, 12);
                check(status + " " + reply.substring(bodyStart + 4));
                TimeUnit.MILLISECONDS.sleep(5);
            } catch (Exception e) {
                failures.add("fresh-connection request failed: " + e);
            }
        }
        return null;
    }

    /** Records {@code statusAndBody} as a failure unless it is a 200 with a version. */
    private void check(String statusAndBody) {
        responses.incrementAndGet();
        if (!statusAndBody.matches("200 (v0|r\\d+)")) {
            failures.add(statusAndBody);
        }
    }
}
