package io.tqserver.build;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * The production artifact of a Java worker: {@code workers/{name}/bin/{name}.jar}, holding the
 * compiled classes and a manifest whose {@code Main-Class} is the class to launch. Production
 * mode runs workers from this jar and never compiles.
 */
public final class WorkerJars {

    private WorkerJars() {
    }

    /** Returns where the jar of the worker in {@code workerFolder} is, named after the folder. */
    public static Path jarOf(Path workerFolder) {
        String name = workerFolder.toAbsolutePath().normalize().getFileName().toString();
        return workerFolder.resolve("bin").resolve(name + ".jar");
    }

    /**
     * Writes the classes of {@code build} into the worker's jar. The jar is written beside the
     * target and then renamed over it, so a running TQServer sees either the old or the new jar
     * and never half of one.
     *
     * @return the jar written
     * @throws IllegalArgumentException when the build failed
     * @throws IOException when the jar cannot be written
     */
    public static Path write(Path workerFolder, JavaBuildResult build) throws IOException {
        if (!build.success()) {
            throw new IllegalArgumentException("cannot package a failed build");
        }
        Path jar = jarOf(workerFolder);
        Path partial = jar.resolveSibling(jar.getFileName() + ".partial");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, build.mainClass());
        try (OutputStream file = Files.newOutputStream(partial);
                JarOutputStream out = new JarOutputStream(file, manifest)) {
            addClasses(out, build.classesFolder());
        }
        Files.move(partial, jar, StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        return jar;
    }

    private static void addClasses(JarOutputStream out, Path classesFolder) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(classesFolder)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
            String entryName = classesFolder.relativize(file).toString().replace('\\', '/');
            JarEntry entry = new JarEntry(entryName);
            entry.setTime(Files.getLastModifiedTime(file).toMillis());
            out.putNextEntry(entry);
            Files.copy(file, out);
            out.closeEntry();
        }
    }
}
