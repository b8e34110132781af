package io.tqserver.runtimes;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** HTTP/1.1 client for the front proxy on 127.0.0.1, with bounded waits. */
final class HttpProbe {

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final int port;

    HttpProbe(int port) {
        this.port = port;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send("GET", path, null);
    }

    /** Sends a request with a JSON body, or none when {@code body} is null. */
    HttpResponse<String> send(String method, String path, String body)
            throws IOException, InterruptedException {
        HttpRequest.BodyPublisher publisher = body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .method(method, publisher)
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Polls {@code path} until the response has status 200 and contains {@code text}.
     *
     * @return whether it did within {@code timeout}
     */
    boolean awaitBody(String path, String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - deadline < 0) {
            try {
                HttpResponse<String> response = get(path);
                if (response.statusCode() == 200 && response.body().contains(text)) {
                    return true;
                }
            } catch (IOException e) {
                // The daemon is still starting; try again.
            }
            Thread.sleep(50);
        }
        return false;
    }
}
