package io.tqserver.runtime;

import io.tqserver.config.WorkerConfig;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runtime of {@code type: exec} workers: any program that follows the worker contract of
 * {@code docs/workers.md}, such as a Go, Python or Rust server. A build runs
 * {@code exec.build}, when set, in the worker's folder; an instance runs {@code exec.command}
 * there.
 *
 * <p>Limits are passed in the environment only: {@code WORKER_MAX_PROCS} and
 * {@code WORKER_MEM_LIMIT_BYTES}, and for Go programs {@code GOMAXPROCS} and
 * {@code GOMEMLIMIT} unless TQServer's own environment sets them. No rlimit is applied, because
 * {@code RLIMIT_AS} also counts address space that runtimes such as Go reserve without using,
 * and would stop them from starting.
 */
public final class ExecWorkerRuntime implements WorkerRuntime {

    /** How long {@code exec.build} may run. */
    static final Duration BUILD_TIMEOUT = Duration.ofMinutes(10);

    private final WorkerConfig worker;
    private final Map<String, String> environment;

    /**
     * Creates the runtime of one worker.
     *
     * @param environment TQServer's environment, checked for {@code GOMAXPROCS} and
     *     {@code GOMEMLIMIT} before they are set
     */
    public ExecWorkerRuntime(WorkerConfig worker, Map<String, String> environment) {
        this.worker = Objects.requireNonNull(worker, "worker");
        this.environment = Map.copyOf(environment);
    }

    @Override
    public WorkerBuild build() {
        List<String> build = worker.exec().build();
        if (build.isEmpty()) {
            return WorkerBuild.succeeded(worker.folder(), null, Duration.ZERO);
        }
        BuildCommand result = BuildCommand.run(build, worker.folder(), launchEnvironment(),
                BUILD_TIMEOUT);
        if (!result.success()) {
            return WorkerBuild.failed(String.join(" ", build) + " failed with status "
                    + result.exitCode() + "\n" + result.output(), result.elapsed());
        }
        return WorkerBuild.succeeded(worker.folder(), null, result.elapsed());
    }

    @Override
    public List<String> launchCommand(WorkerBuild build) {
        if (!build.success()) {
            throw new IllegalArgumentException("cannot launch a failed build: " + build.failure());
        }
        return worker.exec().command();
    }

    @Override
    public Map<String, String> launchEnvironment() {
        Map<String, String> launch = LimitEnvironment.of(worker.runtime());
        if (!environment.containsKey("GOMAXPROCS")) {
            launch.put("GOMAXPROCS", Integer.toString(LimitEnvironment.maxProcs(worker.runtime())));
        }
        if (!environment.containsKey("GOMEMLIMIT") && worker.runtime().memLimitBytes() > 0) {
            launch.put("GOMEMLIMIT", Long.toString(worker.runtime().memLimitBytes()));
        }
        return launch;
    }

    @Override
    public boolean isHealthy(InetSocketAddress address, Duration timeout) {
        return HttpHealthCheck.isHealthy(address, timeout);
    }

    /** Does nothing, because {@code exec.build} owns its output. */
    @Override
    public void pruneBuilds(Collection<WorkerBuild> inUse) {
    }

    @Override
    public void close() {
    }
}
