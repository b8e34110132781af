package io.tqserver.worker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;

/**
 * Entry point of a standby JVM, which TQServer starts in development mode before a worker's
 * next build exists, so that a swap skips the start of a JVM. TQServer starts it with the
 * worker's JVM options, its environment ({@code WORKER_PORT} included) and only pkg-worker on
 * the classpath. The launcher then:
 *
 * <ol>
 *   <li>installs the SIGTERM handler and starts watching TQServer's process, so that the
 *       standby exits soon after either (the process is checked every 250 ms);
 *   <li>warms up with {@link StandbyWarmup};
 *   <li>reads one line from stdin, {@code <main class> <classes folder>}, and exits with status
 *       0 when stdin ends first, which is how TQServer discards a standby;
 *   <li>loads the main class with a new {@link URLClassLoader} over the classes folder, whose
 *       parent is the application class loader, so pkg-worker's classes and the warmed-up code
 *       are shared, and runs its {@code main} on this thread.
 * </ol>
 *
 * <p>NOTE: the parent loader is asked first, so a worker class with the name of a pkg-worker
 * class loses to it, where a plain {@code java -cp classes:pkg-worker.jar} start would load
 * the worker's. The JDK's HTTP server also reads its {@code sun.net.httpserver.*} properties
 * during the warm-up, so a worker that sets them in {@code main} rather than with {@code -D}
 * does not change them.
 */
public final class StandbyLauncher {

    /** Exit status when the handed-over line is invalid or its main class cannot run. */
    public static final int EXIT_INVALID_HANDOFF = 2;

    private static final WorkerLog log = WorkerLog.stderr();

    private StandbyLauncher() {
    }

    public static void main(String[] args) throws Throwable {
        TerminationSignals.install();
        ParentWatcher watcher = watchParent();
        long startNanos = System.nanoTime();
        try {
            StandbyWarmup.run();
        } catch (IOException | RuntimeException e) {
            // The worker still starts; it only loses the head start.
            log.warn("standby warm-up failed pid={}: {}", ProcessHandle.current().pid(), e);
        }
        log.info("standby ready pid={} warmup_ms={}", ProcessHandle.current().pid(),
                (System.nanoTime() - startNanos) / 1_000_000);

        String line = readHandoff();
        if (line == null) {
            log.info("standby discarded pid={}", ProcessHandle.current().pid());
            // No worker runs yet, so there is nothing for the shutdown hooks to stop.
            Runtime.getRuntime().halt(0);
        }
        Handoff handoff = Handoff.parse(line);
        if (handoff == null) {
            log.error("standby handoff invalid: {} (expected: <main class> <classes folder>)",
                    line);
            System.exit(EXIT_INVALID_HANDOFF);
        }
        if (watcher != null) {
            // From here on the worker's own runtime watches TQServer, with a graceful stop.
            watcher.close();
        }
        runMain(handoff);
    }

    /** Loads the worker's main class in a class loader of its own and runs its main method. */
    private static void runMain(Handoff handoff) throws Throwable {
        URL classes = handoff.classesFolder().toUri().toURL();
        URLClassLoader loader = new URLClassLoader("worker", new URL[] {classes},
                StandbyLauncher.class.getClassLoader());
        Thread.currentThread().setContextClassLoader(loader);
        Method main;
        try {
            Class<?> mainClass = Class.forName(handoff.mainClass(), false, loader);
            main = mainClass.getMethod("main", String[].class);
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            log.error("standby cannot run main_class={} classes={}: {}", handoff.mainClass(),
                    handoff.classesFolder(), e);
            System.exit(EXIT_INVALID_HANDOFF);
            return;
        }
        if (!Modifier.isStatic(main.getModifiers())) {
            log.error("standby cannot run main_class={}: main is not static",
                    handoff.mainClass());
            System.exit(EXIT_INVALID_HANDOFF);
        }
        try {
            main.invoke(null, (Object) new String[0]);
        } catch (InvocationTargetException e) {
            // Thrown on as a plain main would throw it, so the JVM reports it the same way.
            throw e.getCause();
        }
    }

    /** Returns the first line of stdin, or null when stdin ends or cannot be read. */
    private static String readHandoff() {
        BufferedReader stdin = new BufferedReader(
                new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try {
            return stdin.readLine();
        } catch (IOException e) {
            log.warn("standby stdin not readable: {}", e);
            return null;
        }
    }

    /** Starts a watcher that exits the JVM once TQServer is gone, or returns null. */
    private static ParentWatcher watchParent() {
        long pid = watchedPid();
        if (pid < 0) {
            log.warn("standby parent process unknown, it exits only when stdin ends");
            return null;
        }
        BooleanSupplier alive = ProcessHandle.of(pid)
                .<BooleanSupplier>map(handle -> handle::isAlive)
                .orElse(() -> false);
        ParentWatcher watcher = new ParentWatcher(alive, ParentWatcher.CHECK_INTERVAL, () -> {
            log.warn("standby parent pid={} exited, exiting with status {}", pid,
                    WorkerRuntime.EXIT_PARENT_GONE);
            // Halts rather than exits: the shutdown hooks would stop the warm-up's runtime
            // gracefully, which can take its whole grace period, and no worker runs yet.
            Runtime.getRuntime().halt(WorkerRuntime.EXIT_PARENT_GONE);
        });
        watcher.start();
        return watcher;
    }

    /** Returns the pid from {@code TQSERVER_PID}, else the parent's pid, or -1 if unknown. */
    private static long watchedPid() {
        OptionalLong configured = OptionalLong.empty();
        try {
            configured = WorkerSettings.fromEnvironment(System.getenv()).parentPid();
        } catch (IllegalArgumentException e) {
            // The worker's own start reports the invalid variable; watch the parent meanwhile.
        }
        if (configured.isPresent()) {
            return configured.getAsLong();
        }
        return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
    }

    /** The parsed stdin line: the class to run and the folder it was compiled into. */
    record Handoff(String mainClass, Path classesFolder) {

        /** Parses {@code <main class> <classes folder>}; returns null when it is invalid. */
        static Handoff parse(String line) {
            int space = line.indexOf(' ');
            if (space <= 0 || space == line.length() - 1) {
                return null;
            }
            return new Handoff(line.substring(0, space), Path.of(line.substring(space + 1)));
        }
    }
}
