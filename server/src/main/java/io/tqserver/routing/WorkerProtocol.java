package io.tqserver.routing;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Protocol the proxy uses to reach a worker instance: HTTP/1.1, or FastCGI to a pool of php-fpm
 * children together with what the proxy must know to map a URL to a script.
 */
public sealed interface WorkerProtocol permits WorkerProtocol.Http, WorkerProtocol.FastCgi {

    /** HTTP/1.1, spoken by Java and Bun workers. */
    WorkerProtocol HTTP = new Http();

    /** HTTP/1.1 to a worker that serves every path itself. */
    record Http() implements WorkerProtocol {
    }

    /**
     * FastCGI 1.0 to php-fpm.
     *
     * @param documentRoot absolute, real path of the folder whose files are served
     * @param frontController script relative to the document root that serves paths with no
     *     script of their own, or {@code null} for none
     * @param maxBodyBytes largest request body accepted, or 0 for no limit; larger ones get 413
     * @param maxConnections connections the proxy keeps open to the instance at most, because
     *     each one occupies a php-fpm child while it is open
     * @param errorLog receives each line the scripts write to FastCGI's stderr stream
     */
    record FastCgi(
            Path documentRoot, String frontController, long maxBodyBytes, int maxConnections,
            Consumer<String> errorLog) implements WorkerProtocol {

        public FastCgi {
            Objects.requireNonNull(documentRoot, "documentRoot");
            Objects.requireNonNull(errorLog, "errorLog");
            if (maxConnections < 1) {
                throw new IllegalArgumentException(
                        "maxConnections: " + maxConnections + " (expected: 1 or more)");
            }
        }
    }
}
