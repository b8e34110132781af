package io.tqserver.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workers that fail: {@code crash} at {@code /crash} exits before it listens, and {@code echo}
 * at {@code /} is killed with SIGKILL. The proxy returns 503 while a worker has no ready
 * instance, and the supervisor restarts it after a delay that doubles with each failure.
 */
class WorkerFailureIT {

    private static final Pattern ECHO_RESTART_DELAY =
            Pattern.compile("worker restart scheduled worker=echo delay_ms=(\\d+)");
    private static final int KILLS = 3;

    @TempDir
    static Path folder;

    private static RunningDaemon daemon;

    @BeforeAll
    static void startDaemon() throws Exception {
        daemon = DaemonFolder.at(folder)
                .testWorker("echo", "echo", "/")
                .testWorker("crash", "crash", "/crash")
                .start();
    }

    @AfterAll
    static void stopDaemon() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void downWorkerReturns503WithRetryAfter() throws Exception {
        daemon.awaitLog(Pattern.compile("worker start failed worker=crash pid=\\d+ port=\\d+"
                + " code=7"));

        HttpResponse response = HttpConnection.get(daemon.port(), "/crash/anything");

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.header("Retry-After")).isNotNull();
        assertThat(Integer.parseInt(response.header("Retry-After"))).isPositive();
    }

    @Test
    void killedWorkerRestartsWithGrowingDelay() throws Exception {
        long pid = echoPid();
        for (int kill = 1; kill <= KILLS; kill++) {
            ProcessHandle worker = ProcessHandle.of(pid).orElseThrow();
            assertThat(worker.destroyForcibly()).isTrue();

            daemon.awaitLog(Pattern.compile("worker exited unexpectedly worker=echo pid=" + pid
                    + " port=\\d+ code=137"));
            long replacement = awaitNewEchoPid(pid);
            assertThat(replacement).isNotEqualTo(pid);
            assertThat(daemon.handle().children().map(ProcessHandle::pid).toList())
                    .contains(replacement);
            pid = replacement;
        }

        List<Long> delays = daemon.awaitLogCount(ECHO_RESTART_DELAY, KILLS).stream()
                .map(match -> Long.parseLong(match.group(1)))
                .toList();
        assertThat(delays).hasSize(KILLS);
        for (int i = 1; i < delays.size(); i++) {
            assertThat(delays.get(i)).as("restart delays %s", delays)
                    .isGreaterThan(delays.get(i - 1));
        }
    }

    private static long echoPid() throws IOException {
        HttpResponse response = HttpConnection.get(daemon.port(), "/pid");
        assertThat(response.status()).isEqualTo(200);
        return response.echoed().pid();
    }

    /**
     * Polls {@code /pid} until an echo instance other than {@code oldPid} responds, which happens
     * once the supervisor has restarted the worker. Meanwhile the proxy returns 503.
     */
    private static long awaitNewEchoPid(long oldPid) throws Exception {
        long deadline = System.nanoTime() + RunningDaemon.LOG_TIMEOUT.toNanos();
        while (System.nanoTime() - deadline < 0) {
            HttpResponse response = HttpConnection.get(daemon.port(), "/pid");
            if (response.status() == 200 && response.echoed().pid() != oldPid) {
                return response.echoed().pid();
            }
            Thread.sleep(20);
        }
        throw daemon.failure("no echo instance other than pid " + oldPid + " responded within "
                + RunningDaemon.LOG_TIMEOUT.toSeconds() + " s");
    }
}
