package io.tqserver.runtime;

import io.tqserver.build.JavaBuildResult;
import io.tqserver.build.JavaWorkerCompiler;
import io.tqserver.build.WorkerClasspath;
import io.tqserver.config.RunMode;
import io.tqserver.config.WorkerConfig;
import java.io.File;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Runtime of {@code type: java} workers. In development mode it compiles {@code src/} in-process
 * with {@link JavaWorkerCompiler}; in production mode it runs {@code bin/{name}.jar} as built by
 * {@code scripts/build-prod.sh} and never compiles. It launches each instance on the same
 * {@code java} executable as the daemon, and checks health with {@code GET /health}.
 */
public final class JavaWorkerRuntime implements WorkerRuntime {

    /** A JVM option that selects a garbage collector, such as {@code -XX:+UseG1GC}. */
    private static final Pattern GC_OPTION = Pattern.compile("-XX:\\+Use\\w+GC");

    /** Main class in pkg-worker that standby JVMs run. */
    static final String STANDBY_LAUNCHER = "io.tqserver.worker.StandbyLauncher";

    private final WorkerConfig worker;
    private final RunMode mode;
    private final WorkerClasspath classpath;
    /** The compiler of development mode, or null in production mode. */
    private final JavaWorkerCompiler compiler;

    public JavaWorkerRuntime(WorkerConfig worker, RunMode mode, WorkerClasspath classpath) {
        this.worker = Objects.requireNonNull(worker, "worker");
        this.mode = Objects.requireNonNull(mode, "mode");
        this.classpath = Objects.requireNonNull(classpath, "classpath");
        this.compiler = mode == RunMode.DEV ? new JavaWorkerCompiler(classpath) : null;
    }

    @Override
    public WorkerBuild build() {
        if (compiler == null) {
            return WorkerJarArtifact.open(worker);
        }
        JavaBuildResult result = compiler.compile(worker.folder(), worker.java().mainClass());
        if (!result.success()) {
            return WorkerBuild.failed(result.formattedDiagnostics(), result.elapsed());
        }
        return WorkerBuild.succeeded(result.classesFolder(), result.mainClass(), result.elapsed());
    }

    @Override
    public boolean checksPrebuiltArtifact() {
        return compiler == null;
    }

    /**
     * Returns {@code java}, the JVM options, {@code -cp classes:pkg-worker.jar} and the main
     * class. The JVM options come in this order, so that a later option wins:
     * {@code -XX:ActiveProcessorCount} from {@code runtime.max_procs}, {@code -Xmx} from
     * {@code runtime.mem_limit}, the fast-start options of development mode, then
     * {@code java.jvm_options}.
     */
    @Override
    public List<String> launchCommand(WorkerBuild build) {
        if (!build.success()) {
            throw new IllegalArgumentException("cannot launch a failed build: " + build.failure());
        }
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(jvmOptions());
        command.add("-cp");
        command.add(launchClasspath(build.artifact()));
        command.add(build.entryPoint());
        return command;
    }

    /**
     * Returns, in development mode, {@code java}, the JVM options and
     * {@code -cp pkg-worker.jar io.tqserver.worker.StandbyLauncher}: a JVM that warms up the
     * worker runtime, then waits for {@link #standbyHandoff}. Empty in production mode, which
     * keeps a plain start, and when pkg-worker was not found.
     */
    @Override
    public Optional<List<String>> standbyCommand() {
        if (mode != RunMode.DEV || !classpath.isFound()) {
            return Optional.empty();
        }
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(jvmOptions());
        command.add("-cp");
        command.add(classpath.joined());
        command.add(STANDBY_LAUNCHER);
        return Optional.of(List.copyOf(command));
    }

    /** Returns {@code <main class> <classes folder>}, as the standby launcher reads it. */
    @Override
    public String standbyHandoff(WorkerBuild build) {
        if (!build.success()) {
            throw new IllegalArgumentException("cannot launch a failed build: " + build.failure());
        }
        return build.entryPoint() + " " + build.artifact().toAbsolutePath();
    }

    @Override
    public boolean isHealthy(InetSocketAddress address, Duration timeout) {
        return HttpHealthCheck.isHealthy(address, timeout);
    }

    @Override
    public void pruneBuilds(Collection<WorkerBuild> inUse) {
        if (compiler == null) {
            return;
        }
        List<Path> folders = new ArrayList<>();
        for (WorkerBuild build : inUse) {
            if (build.artifact() != null) {
                folders.add(build.artifact());
            }
        }
        compiler.pruneOutputs(worker.folder(), folders);
    }

    @Override
    public void close() {
        if (compiler != null) {
            compiler.close();
        }
    }

    List<String> jvmOptions() {
        List<String> options = new ArrayList<>();
        int processors = worker.runtime().maxProcs();
        if (processors == 0) {
            processors = Runtime.getRuntime().availableProcessors();
        }
        options.add("-XX:ActiveProcessorCount=" + processors);
        if (worker.runtime().memLimitBytes() > 0) {
            // NOTE: this limits the heap only, so metaspace, thread stacks and direct buffers
            // come on top of it.
            options.add("-Xmx" + heapSize(worker.runtime().memLimitBytes()));
        }
        if (mode == RunMode.DEV) {
            // C1 alone with the class data archive lets an instance start and warm up
            // faster, at the cost of peak speed that development does not need. Without the
            // hsperfdata file the JVM starts a little faster, but jps and jstat miss it.
            options.add("-XX:TieredStopAtLevel=1");
            options.add("-Xshare:auto");
            options.add("-XX:-UsePerfData");
            if (worker.java().jvmOptions().stream().noneMatch(GC_OPTION.asPredicate())) {
                // Two collectors in one command line stop the JVM from starting.
                options.add("-XX:+UseSerialGC");
            }
        }
        options.addAll(worker.java().jvmOptions());
        return options;
    }

    private String launchClasspath(Path classesFolder) {
        if (!classpath.isFound()) {
            return classesFolder.toString();
        }
        return classesFolder + File.pathSeparator + classpath.joined();
    }

    /** Formats a byte count with the largest unit that divides it, as {@code -Xmx} accepts. */
    static String heapSize(long bytes) {
        if (bytes % (1L << 30) == 0) {
            return (bytes >> 30) + "g";
        }
        if (bytes % (1L << 20) == 0) {
            return (bytes >> 20) + "m";
        }
        if (bytes % 1024 == 0) {
            return (bytes >> 10) + "k";
        }
        return Long.toString(bytes);
    }

    /** Returns the {@code java} executable of the JVM that runs the daemon. */
    static String javaExecutable() {
        return ProcessHandle.current().info().command().orElseGet(() ->
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
