package io.tqserver.autoreload;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WatchPolicyTest {

    @ParameterizedTest(name = "{0} folder={1} ignored={2}")
    @CsvSource({
        "api, true, false",
        "api, false, false",
        ".deploy, true, true",
        "api/config, true, false",
        "api/bin, true, false",
        "api/src, true, true",
        "api/logs, true, true",
        "api/tsconfig.json, false, true",
        "api/config/worker.yaml, false, false",
        "api/config/deployment.yaml, false, true",
        "api/bin/api.jar, false, false",
        "api/bin/api.jar.partial, false, true",
        "api/bin/other.jar, false, true",
        "api/src/api/Main.java, false, true",
        "api/bin/lib/x.jar, false, true",
    })
    void productionFilterKeepsConfigAndArtifact(String path, boolean folder, boolean ignored) {
        assertThat(WatchPolicy.PROD.filter().isIgnored(Path.of(path), folder))
                .isEqualTo(ignored);
    }

    @ParameterizedTest(name = "{0} code={1}")
    @CsvSource({
        "bin/api.jar, true",
        "config/worker.yaml, false",
        "src/api/Main.java, false",
    })
    void productionCodeIsTheArtifact(String path, boolean code) {
        assertThat(WatchPolicy.PROD.isCodeChange("api", Path.of(path))).isEqualTo(code);
    }

    @ParameterizedTest(name = "{0} folder={1} ignored={2}")
    @CsvSource({
        "api/src/api/Main.java, false, false",
        "api/config/worker.yaml, false, false",
        "api/bin/api.jar, false, true",
        "api/node_modules, true, true",
        "api/src/.Main.java.swp, false, true",
        "api/src/Main.java~, false, true",
    })
    void developmentFilterKeepsSources(String path, boolean folder, boolean ignored) {
        assertThat(WatchPolicy.DEV.filter().isIgnored(Path.of(path), folder)).isEqualTo(ignored);
    }
}
