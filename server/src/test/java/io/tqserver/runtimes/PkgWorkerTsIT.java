package io.tqserver.runtimes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Runs the TypeScript library's own tests, {@code pkg-worker-ts/test}, with {@code bun test}. */
class PkgWorkerTsIT {

    @Test
    void bunTestPasses() throws Exception {
        Path home = TestLayout.tqserverHome();
        Path bun = home.resolve("tools/bun/node_modules/.bin/bun");
        Process process = new ProcessBuilder(List.of(bun.toString(), "test"))
                .directory(home.resolve("pkg-worker-ts").toFile())
                .redirectErrorStream(true)
                .start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        boolean exited = process.waitFor(120, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly();
        }
        String text = new String(output, StandardCharsets.UTF_8);

        assertThat(exited).as("bun test exited; output:%n%s", text).isTrue();
        assertThat(process.exitValue()).as("bun test status; output:%n%s", text).isZero();
    }
}
