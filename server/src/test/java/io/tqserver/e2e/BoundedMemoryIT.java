package io.tqserver.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tqserver.testing.PatternBytes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bodies of 2 GiB each way through a daemon whose heap is capped at 128 MiB, and a client that
 * stops reading halfway through a download. Netty's direct memory is capped at the heap size
 * too, since the JVM's {@code MaxDirectMemorySize} defaults to {@code -Xmx}, so the daemon
 * passes only if it streams. The test generates and checks every body as a stream as well.
 *
 * <p>Each test prints its duration and the daemon's resident memory (VmRSS and its peak VmHWM
 * from {@code /proc/PID/status}); the last test checks that the peak stays far below a body.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BoundedMemoryIT {

    private static final long BODY_BYTES = 2L * 1024 * 1024 * 1024;
    private static final String HEAP_CAP = "-Xmx128m";
    private static final long MIB = 1024 * 1024;
    /** Peak resident memory allowed to the daemon: heap, direct memory, code and threads. */
    private static final long MAX_PEAK_RSS_BYTES = 512 * MIB;

    /** Size of the slowly read download, and how much of it the client reads before pausing. */
    private static final long SLOW_BODY_BYTES = 512 * MIB;
    private static final long READ_BEFORE_PAUSE = 16 * MIB;
    /**
     * Bytes the worker may write beyond what the client has read: the socket buffers of both
     * loopback connections and the proxy's write buffer, a few MiB each.
     */
    private static final long MAX_WRITTEN_AHEAD = 64 * MIB;
    private static final int PAUSE_SAMPLES = 50;
    private static final long PAUSE_SAMPLE_MILLIS = 200;

    @TempDir
    static Path folder;

    private static RunningDaemon daemon;

    @BeforeAll
    static void startDaemon() throws Exception {
        daemon = DaemonFolder.at(folder)
                .testWorker("bulk", "bulk", "/")
                .javaOptions(HEAP_CAP + " -XX:+ExitOnOutOfMemoryError")
                .start();
    }

    @AfterAll
    static void stopDaemon() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    @Order(1)
    void daemonRunsWithCappedHeap() {
        List<String> arguments = List.of(daemon.handle().info().arguments().orElseThrow());

        assertThat(arguments).contains(HEAP_CAP);
    }

    @Test
    @Order(2)
    void streamsTwoGibibyteUpload() throws Exception {
        long started = System.nanoTime();
        HttpResponse response;
        try (HttpConnection connection = HttpConnection.open(daemon.port())) {
            connection.send("POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/octet-stream\r\n"
                    + "Content-Length: " + BODY_BYTES + "\r\n\r\n");
            PatternBytes.write(connection.output(), BODY_BYTES);
            connection.output().flush();
            response = connection.readResponse();
        }
        report("upload", started);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.echoed().value("length")).isEqualTo(Long.toString(BODY_BYTES));
        assertThat(response.echoed().value("crc"))
                .isEqualTo(Long.toHexString(PatternBytes.crc(BODY_BYTES)));
        assertThat(daemon.handle().isAlive()).isTrue();
    }

    @Test
    @Order(3)
    void streamsTwoGibibyteDownload() throws Exception {
        long started = System.nanoTime();
        CRC32 crc = new CRC32();
        long[] length = {0};
        int status;
        try (HttpConnection connection = HttpConnection.open(daemon.port())) {
            connection.send("GET /download?bytes=" + BODY_BYTES + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\n\r\n");
            HttpResponse head = connection.readHead();
            status = head.status();
            connection.readBody(head, (bytes, offset, count) -> {
                crc.update(bytes, offset, count);
                length[0] += count;
            });
        }
        report("download", started);

        assertThat(status).isEqualTo(200);
        assertThat(length[0]).isEqualTo(BODY_BYTES);
        assertThat(crc.getValue()).isEqualTo(PatternBytes.crc(BODY_BYTES));
        assertThat(daemon.handle().isAlive()).isTrue();
    }

    @Test
    @Order(4)
    void slowClientStopsWorkerWrites() throws Exception {
        long writtenBefore = downloadedByWorker();
        SlowReader reader = new SlowReader(writtenBefore);
        int status;
        try (HttpConnection connection = HttpConnection.open(daemon.port())) {
            connection.send("GET /download?bytes=" + SLOW_BODY_BYTES + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\n\r\n");
            HttpResponse head = connection.readHead();
            status = head.status();
            connection.readBody(head, reader::accept);
        }
        System.out.printf("slow client: paused after %d MiB read, worker stopped at %d MiB"
                + " written, daemon VmRSS up to %d MiB during the pause%n",
                reader.readAtPause / MIB, reader.writtenAtPause / MIB, reader.maxPauseRss / MIB);

        assertThat(status).isEqualTo(200);
        assertThat(reader.length).isEqualTo(SLOW_BODY_BYTES);
        assertThat(reader.crc.getValue()).isEqualTo(PatternBytes.crc(SLOW_BODY_BYTES));
        assertThat(reader.workerStalled).as("worker writes stopped while the client paused")
                .isTrue();
        assertThat(reader.writtenAtPause - reader.readAtPause)
                .as("bytes the worker wrote beyond what the client had read")
                .isLessThan(MAX_WRITTEN_AHEAD);
        assertThat(reader.maxPauseRss).isLessThan(MAX_PEAK_RSS_BYTES);
    }

    @Test
    @Order(5)
    void peakResidentMemoryStaysBounded() throws IOException {
        long peak = procStatus("VmHWM");
        System.out.printf("daemon pid=%d VmHWM=%d MiB VmRSS=%d MiB%n",
                daemon.pid(), peak / MIB, procStatus("VmRSS") / MIB);

        assertThat(peak).isLessThan(MAX_PEAK_RSS_BYTES);
    }

    private static void report(String transfer, long startedNanos) throws IOException {
        long millis = (System.nanoTime() - startedNanos) / 1_000_000;
        System.out.printf("%s of %d MiB: %d ms (%d MiB/s), daemon VmRSS=%d MiB VmHWM=%d MiB%n",
                transfer, BODY_BYTES / MIB, millis, BODY_BYTES / MIB * 1000 / Math.max(1, millis),
                procStatus("VmRSS") / MIB, procStatus("VmHWM") / MIB);
    }

    /** Returns a memory figure of the daemon's process in bytes, such as {@code VmRSS}. */
    private static long procStatus(String key) throws IOException {
        Path status = Path.of("/proc", Long.toString(daemon.pid()), "status");
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith(key + ":")) {
                String kibibytes = line.substring(key.length() + 1).trim().split("\\s+")[0];
                return Long.parseLong(kibibytes) * 1024;
            }
        }
        throw new IOException("no " + key + " in " + status);
    }

    /** Returns the bytes the worker's downloads have written so far. */
    private static long downloadedByWorker() throws IOException {
        HttpResponse response = HttpConnection.get(daemon.port(), "/downloaded");
        assertThat(response.status()).isEqualTo(200);
        return Long.parseLong(response.echoed().value("downloaded"));
    }

    /**
     * A body sink that checks the bytes it reads and, once it has read
     * {@link #READ_BEFORE_PAUSE}, stops reading until the worker's count of written bytes stops
     * growing, sampling the daemon's resident memory meanwhile.
     */
    private static final class SlowReader {

        private final long writtenBefore;
        private final CRC32 crc = new CRC32();
        private long length;
        private boolean paused;
        private boolean workerStalled;
        private long readAtPause;
        private long writtenAtPause;
        private long maxPauseRss;

        SlowReader(long writtenBefore) {
            this.writtenBefore = writtenBefore;
        }

        void accept(byte[] bytes, int offset, int count) throws IOException {
            crc.update(bytes, offset, count);
            length += count;
            if (!paused && length >= READ_BEFORE_PAUSE) {
                paused = true;
                pause();
            }
        }

        private void pause() throws IOException {
            readAtPause = length;
            long previous = -1;
            for (int i = 0; i < PAUSE_SAMPLES && !workerStalled; i++) {
                sleep(PAUSE_SAMPLE_MILLIS);
                long written = downloadedByWorker() - writtenBefore;
                maxPauseRss = Math.max(maxPauseRss, procStatus("VmRSS"));
                workerStalled = written == previous;
                previous = written;
                writtenAtPause = written;
            }
        }

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while pausing the slow client", e);
            }
        }
    }
}
