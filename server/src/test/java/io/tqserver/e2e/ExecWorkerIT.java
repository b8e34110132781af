package io.tqserver.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Python worker of {@code type: exec}, test worker {@code python}, behind a real tqserver. */
class ExecWorkerIT {

    @TempDir
    Path folder;

    @Test
    void pythonWorkerRoutesWithLimits() throws Exception {
        try (RunningDaemon daemon = DaemonFolder.at(folder)
                .testWorker("python", "py", "/py")
                .file("workers/py/config/worker.yaml", """
                        path: /py
                        type: exec
                        runtime:
                          max_procs: 1
                          mem_limit: 64MiB
                        exec:
                          build: [python3, -m, py_compile, server.py]
                          command: [python3, server.py]
                        """)
                .start()) {
            int port = daemon.port();

            assertThat(HttpConnection.get(port, "/py/").bodyText())
                    .isEqualTo("{\"message\": \"python v1\", \"route\": \"/py\"}");
            assertThat(HttpConnection.get(port, "/py/env").bodyText())
                    .isEqualTo("{\"WORKER_MAX_PROCS\": \"1\","
                            + " \"WORKER_MEM_LIMIT_BYTES\": \"67108864\", \"GOMAXPROCS\": \"1\","
                            + " \"GOMEMLIMIT\": \"67108864\"}");
            assertThat(HttpConnection.get(port, "/py/missing").status()).isEqualTo(404);
        }
    }
}
