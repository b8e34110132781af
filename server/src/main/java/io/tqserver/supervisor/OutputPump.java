package io.tqserver.supervisor;

import io.tqserver.logging.WorkerOutput;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the merged stdout and stderr of one worker process to its log, line by line, on a
 * daemon thread of its own, and closes the log when the process closes its output.
 */
final class OutputPump implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(OutputPump.class);

    private final Process process;
    private final WorkerOutput output;
    private final String workerName;

    private OutputPump(Process process, WorkerOutput output, String workerName) {
        this.process = process;
        this.output = output;
        this.workerName = workerName;
    }

    /** Starts copying the output of {@code process} to {@code output}. */
    static void start(Process process, WorkerOutput output, String workerName) {
        Thread thread = new Thread(new OutputPump(process, output, workerName),
                "worker-output-" + workerName + "-" + process.pid());
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run() {
        try (output;
                BufferedReader reader = new BufferedReader(new InputStreamReader(
                        process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                output.write(line);
            }
        } catch (IOException e) {
            log.debug("worker output closed worker={} pid={}", workerName, process.pid(), e);
        }
    }
}
