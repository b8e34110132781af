package io.tqserver.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DailyFileAppendersTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            logs/server_{date}.log        | logs/server_%d{yyyy-MM-dd}.log
            logs/{date}/server.log        | logs/%d{yyyy-MM-dd}/server.log
            logs/server.log               | logs/server.%d{yyyy-MM-dd}.log
            logs/server                   | logs/server.%d{yyyy-MM-dd}
            logs.d/server                 | logs.d/server.%d{yyyy-MM-dd}
            logs/.server                  | logs/.server.%d{yyyy-MM-dd}
            logs/{date}/server_{date}.log | logs/%d{yyyy-MM-dd}/server_%d{yyyy-MM-dd,aux}.log
            """)
    void convertsToLogbackFileNamePattern(String filePattern, String expected) {
        assertThat(DailyFileAppenders.toFileNamePattern(filePattern)).isEqualTo(expected);
    }
}
