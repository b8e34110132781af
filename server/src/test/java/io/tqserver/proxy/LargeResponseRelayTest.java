package io.tqserver.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.tqserver.testing.PatternBytes;
import java.io.IOException;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Relays responses larger than the client connection's write buffer, so that reading from the
 * worker must pause and resume, possibly several times per response.
 */
@Timeout(20)
class LargeResponseRelayTest {

    private RunningProxy proxy;
    private TestWorker worker;

    @BeforeEach
    void startProxyAndWorker() throws IOException {
        proxy = RunningProxy.start();
        worker = TestWorker.start();
        proxy.route("/", worker.port());
    }

    @AfterEach
    void stopAll() {
        proxy.close();
        worker.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"download", "chunked"})
    void relaysWholeMebibyteBody(String kind) throws IOException {
        long length = 1024 * 1024;
        try (ClientConnection client = proxy.connect()) {
            for (int round = 0; round < 3; round++) {
                client.send("GET /" + kind + "/" + length + " HTTP/1.1\r\nHost: t\r\n\r\n");
                RawResponse response = client.readResponse();

                assertThat(response.status()).isEqualTo(200);
                assertThat(response.body()).hasSize((int) length);
                assertThat(crcOf(response.body())).isEqualTo(PatternBytes.crc(length));
            }
        }
    }

    private static long crcOf(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }
}
