package io.tqserver.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code run/tqserver.pid}: the process id and start time of the TQServer that runs in this
 * folder. A second TQServer started in the same folder finds the first one alive and stops,
 * instead of taking the first one's workers for leftovers.
 */
final class PidFile {

    private static final Logger log = LoggerFactory.getLogger(PidFile.class);

    private final Path file;

    PidFile(Path file) {
        this.file = file;
    }

    /**
     * Returns the pid of another TQServer recorded in the file and still running, if any. A
     * recorded pid whose process started at another time belongs to an unrelated process.
     */
    Optional<Long> runningOther() {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            List<String> fields = List.of(Files.readString(file, StandardCharsets.UTF_8)
                    .strip().split("\\s+"));
            long pid = Long.parseLong(fields.get(0));
            if (pid == ProcessHandle.current().pid()) {
                return Optional.empty();
            }
            Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
            Optional<Instant> started = process.flatMap(handle -> handle.info().startInstant());
            if (started.isPresent() && fields.size() > 1
                    && started.get().equals(Instant.parse(fields.get(1)))) {
                return Optional.of(pid);
            }
        } catch (IOException | RuntimeException e) {
            log.warn("pid file unreadable, ignored file={}", file, e);
        }
        return Optional.empty();
    }

    /** Writes this process's pid and start time. */
    void write() {
        ProcessHandle self = ProcessHandle.current();
        String started = self.info().startInstant().map(Instant::toString).orElse("unknown");
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(partial, self.pid() + " " + started + "\n", StandardCharsets.UTF_8);
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            log.warn("pid file not written file={}", file, e);
        }
    }

    void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("pid file not deleted file={}", file, e);
        }
    }
}
