package io.tqserver.supervisor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One small file per running worker process, in {@code run/workers/}, so that a TQServer that
 * starts after one was killed can find the processes the killed one left behind and stop them
 * before it hands out their ports again. A record holds the process id and start time, so a
 * process id that the system has since given to another process is never signalled.
 */
public final class ProcessRecords {

    private static final Logger log = LoggerFactory.getLogger(ProcessRecords.class);

    private static final String SUFFIX = ".pid";

    private final Path folder;

    /** Creates records kept in {@code folder}, which is created on first use. */
    public ProcessRecords(Path folder) {
        this.folder = folder;
    }

    /** Returns records that are never written, for tests that run no leftover check. */
    static ProcessRecords none() {
        return new ProcessRecords(null);
    }

    /** Writes the record of a process that was just started. */
    void add(String workerName, int port, Process process) {
        if (folder == null) {
            return;
        }
        Properties record = new Properties();
        record.setProperty("pid", Long.toString(process.pid()));
        record.setProperty("worker", workerName);
        record.setProperty("port", Integer.toString(port));
        process.info().startInstant().ifPresent(start ->
                record.setProperty("start", start.toString()));
        Path file = fileOf(process.pid());
        Path partial = folder.resolve(process.pid() + ".partial");
        try {
            Files.createDirectories(folder);
            try (var out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
                record.store(out, "worker process started by tqserver pid="
                        + ProcessHandle.current().pid());
            }
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            log.warn("worker process record not written worker={} pid={} file={}",
                    workerName, process.pid(), file, e);
        }
    }

    /** Deletes the record of a process that has exited. */
    void remove(long pid) {
        if (folder == null) {
            return;
        }
        try {
            Files.deleteIfExists(fileOf(pid));
        } catch (IOException e) {
            log.warn("worker process record not deleted pid={} file={}", pid, fileOf(pid), e);
        }
    }

    /**
     * Stops every process recorded by an earlier TQServer that is still running: SIGTERM, then
     * SIGKILL after {@code gracePeriod}. Deletes every record. Call before any worker starts.
     *
     * @return the number of processes stopped
     */
    public int stopLeftovers(Duration gracePeriod) {
        List<ProcessHandle> leftovers = new ArrayList<>();
        for (Path file : recordFiles()) {
            readLeftover(file).ifPresent(leftovers::add);
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                log.warn("worker process record not deleted file={}", file, e);
            }
        }
        for (ProcessHandle process : leftovers) {
            process.destroy();
        }
        for (ProcessHandle process : leftovers) {
            awaitExit(process, gracePeriod);
        }
        return leftovers.size();
    }

    private Optional<ProcessHandle> readLeftover(Path file) {
        Properties record = new Properties();
        try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            record.load(in);
            long pid = Long.parseLong(record.getProperty("pid", "-1"));
            Optional<ProcessHandle> process = ProcessHandle.of(pid);
            if (process.isEmpty() || !process.get().isAlive()) {
                return Optional.empty();
            }
            String recordedStart = record.getProperty("start");
            Optional<Instant> actualStart = process.get().info().startInstant();
            if (recordedStart == null || actualStart.isEmpty()
                    || !Instant.parse(recordedStart).equals(actualStart.get())) {
                log.info("worker process record skipped, pid reused by another process pid={}",
                        pid);
                return Optional.empty();
            }
            log.warn("worker left by an earlier tqserver, stopping it worker={} pid={} port={}",
                    record.getProperty("worker"), pid, record.getProperty("port"));
            return process;
        } catch (IOException | RuntimeException e) {
            log.warn("worker process record unreadable, skipped file={}", file, e);
            return Optional.empty();
        }
    }

    private static void awaitExit(ProcessHandle process, Duration gracePeriod) {
        try {
            process.onExit().get(gracePeriod.toMillis(), TimeUnit.MILLISECONDS);
            return;
        } catch (TimeoutException e) {
            log.warn("leftover worker did not exit after SIGTERM, sending SIGKILL pid={}"
                    + " grace_ms={}", process.pid(), gracePeriod.toMillis());
        } catch (ExecutionException e) {
            log.debug("leftover worker exit not observed pid={}", process.pid(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
        process.onExit().orTimeout(5, TimeUnit.SECONDS).exceptionally(error -> null).join();
    }

    private List<Path> recordFiles() {
        List<Path> files = new ArrayList<>();
        if (folder == null || !Files.isDirectory(folder)) {
            return files;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder, "*" + SUFFIX)) {
            entries.forEach(files::add);
        } catch (IOException e) {
            log.warn("worker process records not readable folder={}", folder, e);
        }
        return files;
    }

    private Path fileOf(long pid) {
        return folder.resolve(pid + SUFFIX);
    }
}
