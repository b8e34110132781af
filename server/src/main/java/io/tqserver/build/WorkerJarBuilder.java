package io.tqserver.build;

import io.tqserver.config.ConfigException;
import io.tqserver.config.WorkerConfig;
import io.tqserver.config.WorkerConfigLoader;
import io.tqserver.config.WorkerType;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command-line tool that {@code scripts/build-prod.sh} runs after Maven: compiles each Java
 * worker with the same in-process compiler as development mode and writes its
 * {@code bin/{name}.jar}. Workers of other types are skipped, since they have no jar.
 *
 * <p>Usage: {@code WorkerJarBuilder WORKERS_FOLDER [WORKER...]}. Exits 0 when every jar was
 * written, 1 when a build failed, 2 on a usage error.
 */
public final class WorkerJarBuilder {

    private WorkerJarBuilder() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Builds the jars and returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length < 1) {
            err.println("usage: WorkerJarBuilder WORKERS_FOLDER [WORKER...]");
            return 2;
        }
        Path workersFolder = Path.of(args[0]);
        List<Path> folders = new ArrayList<>();
        try {
            folders.addAll(selectFolders(workersFolder, List.of(args).subList(1, args.length)));
        } catch (IOException | IllegalArgumentException e) {
            err.println("build-prod: " + e.getMessage());
            return 2;
        }
        WorkerClasspath classpath = WorkerClasspath.locate(Path.of("").toAbsolutePath());
        int failed = 0;
        try (JavaWorkerCompiler compiler = new JavaWorkerCompiler(classpath)) {
            for (Path folder : folders) {
                if (!buildOne(compiler, folder, out, err)) {
                    failed++;
                }
            }
        }
        return failed == 0 ? 0 : 1;
    }

    private static boolean buildOne(
            JavaWorkerCompiler compiler, Path folder, PrintStream out, PrintStream err) {
        WorkerConfig worker;
        try {
            worker = WorkerConfigLoader.load(folder);
        } catch (ConfigException e) {
            err.println("build-prod: " + e.getMessage());
            return false;
        }
        if (worker.type() != WorkerType.JAVA) {
            out.println("skipped " + worker.name() + ": type " + worker.type().key()
                    + " has no jar");
            return true;
        }
        JavaBuildResult build = compiler.compile(folder, worker.java().mainClass());
        try {
            if (!build.success()) {
                err.println("build-prod: worker " + worker.name() + " failed to compile:\n"
                        + build.formattedDiagnostics());
                return false;
            }
            Path jar = WorkerJars.write(folder, build);
            out.println("built " + jar + " main_class=" + build.mainClass()
                    + " in " + build.elapsed().toMillis() + " ms");
            return true;
        } catch (IOException e) {
            err.println("build-prod: jar of worker " + worker.name() + " not written: " + e);
            return false;
        } finally {
            if (build.classesFolder() != null) {
                ClassOutputFolders.deleteQuietly(build.classesFolder());
                // The compiler pointed bin/classes at the folder just deleted.
                ClassOutputFolders.deleteQuietly(folder.resolve("bin").resolve("classes"));
            }
        }
    }

    private static List<Path> selectFolders(Path workersFolder, List<String> names)
            throws IOException {
        List<Path> folders = new ArrayList<>();
        if (!names.isEmpty()) {
            for (String name : names) {
                Path folder = workersFolder.resolve(name);
                if (!Files.isRegularFile(folder.resolve("config").resolve("worker.yaml"))) {
                    throw new IllegalArgumentException("worker not found: " + folder);
                }
                folders.add(folder);
            }
            return folders;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(workersFolder)) {
            for (Path entry : entries) {
                if (Files.isRegularFile(entry.resolve("config").resolve("worker.yaml"))) {
                    folders.add(entry);
                }
            }
        }
        folders.sort(null);
        return folders;
    }
}
