package io.tqserver.runtime;

import io.tqserver.config.WorkerConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Environment variables that tell a worker process its {@code runtime} limits, for runtimes
 * that TQServer cannot configure through command-line options.
 */
final class LimitEnvironment {

    /** Memory limit in bytes; absent when {@code runtime.mem_limit} is 0. */
    static final String MEM_LIMIT_BYTES = "WORKER_MEM_LIMIT_BYTES";

    /** Processors the worker may use; the machine's count when {@code runtime.max_procs} is 0. */
    static final String MAX_PROCS = "WORKER_MAX_PROCS";

    private LimitEnvironment() {
    }

    /** Returns {@link #MAX_PROCS} and, when a memory limit is set, {@link #MEM_LIMIT_BYTES}. */
    static Map<String, String> of(WorkerConfig.Runtime limits) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put(MAX_PROCS, Integer.toString(maxProcs(limits)));
        if (limits.memLimitBytes() > 0) {
            environment.put(MEM_LIMIT_BYTES, Long.toString(limits.memLimitBytes()));
        }
        return environment;
    }

    static int maxProcs(WorkerConfig.Runtime limits) {
        if (limits.maxProcs() == 0) {
            return java.lang.Runtime.getRuntime().availableProcessors();
        }
        return limits.maxProcs();
    }
}
