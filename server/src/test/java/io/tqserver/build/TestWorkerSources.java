package io.tqserver.build;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Copies the JDK-only test worker from the test resources into a worker folder. */
public final class TestWorkerSources {

    /** Main class of the test worker. */
    public static final String MAIN_CLASS = "testworker.HealthWorker";

    private TestWorkerSources() {
    }

    /** Copies the test worker's {@code src/} into {@code workerFolder/src}. */
    public static void copyTo(Path workerFolder) throws IOException {
        Path source = resourceFolder().resolve("src");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(source)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path file : files) {
            Path target = workerFolder.resolve("src").resolve(source.relativize(file).toString());
            Files.createDirectories(target.getParent());
            Files.copy(file, target);
        }
    }

    private static Path resourceFolder() {
        URL url = TestWorkerSources.class.getResource("/test-worker");
        if (url == null) {
            throw new IllegalStateException("test resource /test-worker not found");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
