package io.tqserver.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class JavaWorkerCompilerTest {

    private static JavaWorkerCompiler compiler;

    @TempDir
    Path workerFolder;

    @BeforeAll
    static void createCompiler() {
        compiler = new JavaWorkerCompiler(new WorkerClasspath(List.of(), "none"));
    }

    @AfterAll
    static void closeCompiler() {
        compiler.close();
    }

    @Test
    void compilesWorkerAndFindsItsMainClass() throws IOException {
        TestWorkerSources.copyTo(workerFolder);

        JavaBuildResult result = compiler.compile(workerFolder, null);

        assertThat(result.success()).as(result.formattedDiagnostics()).isTrue();
        assertThat(result.mainClass()).isEqualTo(TestWorkerSources.MAIN_CLASS);
        assertThat(result.classesFolder().resolve("testworker/HealthWorker.class")).isRegularFile();
        assertThat(result.classesFolder().getParent()).isEqualTo(workerFolder.resolve("bin"));
    }

    @Test
    void pointsClassesLinkAtLatestBuild() throws IOException {
        TestWorkerSources.copyTo(workerFolder);

        JavaBuildResult first = compiler.compile(workerFolder, null);
        JavaBuildResult second = compiler.compile(workerFolder, null);

        Path link = workerFolder.resolve("bin/classes");
        assertThat(second.classesFolder()).isNotEqualTo(first.classesFolder());
        assertThat(link).isSymbolicLink();
        assertThat(link.toRealPath()).isEqualTo(second.classesFolder().toRealPath());
    }

    @Test
    void reportsErrorWithFileLineAndColumn() throws IOException {
        Path source = writeSource("broken/Broken.java", """
                package broken;
                public class Broken {
                    int count = "text";
                    public static void main(String[] args) {}
                }
                """);

        JavaBuildResult result = compiler.compile(workerFolder, null);

        assertThat(result.success()).isFalse();
        assertThat(result.classesFolder()).isNull();
        assertThat(result.errors()).hasSize(1);
        BuildDiagnostic error = result.errors().get(0);
        assertThat(error.kind()).isEqualTo(Diagnostic.Kind.ERROR);
        assertThat(error.file()).isEqualTo(source);
        assertThat(error.line()).isEqualTo(3);
        assertThat(error.column()).isEqualTo(17);
        assertThat(error.message()).contains("incompatible types");
        assertThat(result.formattedDiagnostics())
                .startsWith(source + ":3:17: error: incompatible types");
    }

    @Test
    void failedBuildKeepsEarlierClasses() throws IOException {
        TestWorkerSources.copyTo(workerFolder);
        JavaBuildResult good = compiler.compile(workerFolder, null);
        writeSource("testworker/Extra.java", "package testworker; class Extra { oops }");

        JavaBuildResult bad = compiler.compile(workerFolder, null);

        assertThat(bad.success()).isFalse();
        assertThat(good.classesFolder().resolve("testworker/HealthWorker.class")).isRegularFile();
        assertThat(workerFolder.resolve("bin/classes").toRealPath())
                .isEqualTo(good.classesFolder().toRealPath());
        try (var entries = Files.list(workerFolder.resolve("bin"))) {
            assertThat(entries.map(path -> path.getFileName().toString()))
                    .containsExactlyInAnyOrder("classes", "classes-1");
        }
    }

    @Test
    void rejectsSourcesWithoutMainMethod() throws IOException {
        writeSource("app/Service.java", "package app; public class Service {}");

        JavaBuildResult result = compiler.compile(workerFolder, null);

        assertThat(result.success()).isFalse();
        assertThat(result.formattedDiagnostics())
                .isEqualTo("error: no class under src/ declares public static void main(String[]);"
                        + " declare one or set java.main_class in config/worker.yaml");
    }

    @Test
    void rejectsSeveralMainClasses() throws IOException {
        writeSource("app/One.java", "package app; public class One {"
                + " public static void main(String[] args) {} }");
        writeSource("app/Two.java", "package app; public class Two {"
                + " static class Inner { public static void main(String... args) {} } }");

        JavaBuildResult result = compiler.compile(workerFolder, null);

        assertThat(result.success()).isFalse();
        assertThat(result.formattedDiagnostics())
                .contains("several classes declare public static void main(String[])")
                .contains("app.One")
                .contains("app.Two$Inner");
    }

    @Test
    void usesConfiguredMainClass() throws IOException {
        writeSource("app/One.java", "package app; public class One {"
                + " public static void main(String[] args) {} }");
        writeSource("app/Two.java", "package app; public class Two {"
                + " public static void main(String[] args) {} }");

        JavaBuildResult result = compiler.compile(workerFolder, "app.Two");

        assertThat(result.success()).as(result.formattedDiagnostics()).isTrue();
        assertThat(result.mainClass()).isEqualTo("app.Two");
    }

    @Test
    void rejectsConfiguredMainClassThatWasNotCompiled() throws IOException {
        writeSource("app/One.java", "package app; public class One {"
                + " public static void main(String[] args) {} }");

        JavaBuildResult result = compiler.compile(workerFolder, "app.Missing");

        assertThat(result.success()).isFalse();
        assertThat(result.formattedDiagnostics()).isEqualTo(
                "error: java.main_class: app.Missing (expected: a class compiled from src/)");
    }

    @Test
    void rejectsWorkerWithoutSources() {
        JavaBuildResult result = compiler.compile(workerFolder, null);

        assertThat(result.success()).isFalse();
        assertThat(result.formattedDiagnostics())
                .isEqualTo("error: no .java files found under " + workerFolder.resolve("src"));
    }

    @Test
    void compilesForJava17() throws IOException {
        writeSource("app/Main.java", """
                package app;
                public class Main {
                    public static void main(String[] args) {
                        Object value = args;
                        if (value instanceof String[] strings) {
                            System.out.println(strings.length);
                        }
                        System.out.println("x".repeat(2).describeConstable());
                    }
                }
                """);

        JavaBuildResult result = compiler.compile(workerFolder, null);

        assertThat(result.success()).as(result.formattedDiagnostics()).isTrue();
        byte[] classFile = Files.readAllBytes(result.classesFolder().resolve("app/Main.class"));
        int majorVersion = ((classFile[6] & 0xff) << 8) | (classFile[7] & 0xff);
        assertThat(majorVersion).isEqualTo(61);
    }

    @Test
    void prunesClassFoldersNotInUse() throws IOException {
        TestWorkerSources.copyTo(workerFolder);
        JavaBuildResult first = compiler.compile(workerFolder, null);
        JavaBuildResult second = compiler.compile(workerFolder, null);
        JavaBuildResult third = compiler.compile(workerFolder, null);

        compiler.pruneOutputs(workerFolder, List.of(first.classesFolder()));

        assertThat(first.classesFolder()).isDirectory();
        assertThat(second.classesFolder()).doesNotExist();
        assertThat(third.classesFolder()).as("target of bin/classes").isDirectory();
    }

    private Path writeSource(String relativePath, String text) throws IOException {
        Path file = workerFolder.resolve("src").resolve(relativePath);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }
}
