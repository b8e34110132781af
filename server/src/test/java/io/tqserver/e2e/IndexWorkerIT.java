package io.tqserver.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sample {@code index} worker served through a real {@code tqserver}. */
class IndexWorkerIT {

    private static final Pattern PAGE_PID = Pattern.compile("<dt>PID</dt><dd>(\\d+)</dd>");
    private static final Pattern PAGE_PORT = Pattern.compile("<dt>Port</dt><dd>(\\d+)</dd>");

    @TempDir
    static Path folder;

    private static RunningDaemon daemon;

    @BeforeAll
    static void startDaemon() throws Exception {
        daemon = DaemonFolder.at(folder).sampleWorker("index").start();
    }

    @AfterAll
    static void stopDaemon() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void rootReturnsIndexPage() throws Exception {
        HttpResponse response = HttpConnection.get(daemon.port(), "/");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("text/html");
        assertThat(response.bodyText()).contains("<h1>Hello from TQServer</h1>");
    }

    @Test
    void helloGreetsByName() throws Exception {
        HttpResponse response = HttpConnection.get(daemon.port(), "/hello?name=Ada");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.bodyText()).isEqualTo("Hello, Ada!");
    }

    @Test
    void pageComesFromChildOnLoopback() throws Exception {
        String page = HttpConnection.get(daemon.port(), "/").bodyText();
        long workerPid = Long.parseLong(find(PAGE_PID, page));
        int workerPort = Integer.parseInt(find(PAGE_PORT, page));

        assertThat(workerPid).isNotEqualTo(daemon.pid());
        List<Long> children = daemon.handle().children().map(ProcessHandle::pid).toList();
        assertThat(children).contains(workerPid);
        assertThat(workerPort).isBetween(daemon.portRangeStart(), daemon.portRangeEnd());

        List<InetSocketAddress> listening = ProcessTable.listeningAddresses(workerPid);
        assertThat(listening).isNotEmpty();
        for (InetSocketAddress address : listening) {
            assertThat(address.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
            assertThat(address.getPort()).isBetween(
                    daemon.portRangeStart(), daemon.portRangeEnd());
        }
        assertThat(listening).extracting(InetSocketAddress::getPort).contains(workerPort);
    }

    private static String find(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        assertThat(matcher.find()).as("/%s/ in %s", pattern, text).isTrue();
        return matcher.group(1);
    }
}
