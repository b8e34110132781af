package index;

import io.tqserver.worker.Request;
import io.tqserver.worker.Response;
import io.tqserver.worker.WorkerSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** HTML home page of the index worker, rendered once because its content never changes. */
final class HomePage {

    private final byte[] html;

    HomePage(WorkerSettings settings, long pid) {
        this.html = render(settings, pid).getBytes(StandardCharsets.UTF_8);
    }

    void serve(Request request, Response response) throws IOException {
        response.contentType("text/html; charset=utf-8").send(html);
    }

    private static String render(WorkerSettings settings, long pid) {
        // Links carry the route prefix because the proxy strips it before forwarding.
        String base = settings.route().endsWith("/") ? settings.route() : settings.route() + "/";
        return """
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>TQServer index worker</title>
                <style>
                  body { font-family: system-ui, sans-serif; margin: 0; background: #f4f6f8;
                         color: #1d2733; }
                  main { max-width: 40rem; margin: 4rem auto; padding: 2rem 2.5rem;
                         background: #fff; border-radius: 12px;
                         box-shadow: 0 2px 12px rgba(0, 0, 0, 0.08); }
                  h1 { margin-top: 0; font-size: 1.6rem; }
                  dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.4rem 1.2rem; }
                  dt { color: #5b6b7c; }
                  dd { margin: 0; font-family: ui-monospace, monospace; }
                  a { color: #1f6feb; }
                </style>
                </head>
                <body>
                <main>
                <h1>Hello from TQServer</h1>
                <p>This page is served by the TQServer index worker, a Java process that the
                TQServer proxy starts, health-checks and routes to.</p>
                <dl>
                  <dt>Worker</dt><dd>%1$s</dd>
                  <dt>PID</dt><dd>%2$d</dd>
                  <dt>Port</dt><dd>%3$d</dd>
                  <dt>Mode</dt><dd>%4$s</dd>
                </dl>
                <p>Try <a href="%5$shello?name=Ada">%5$shello?name=Ada</a>,
                <a href="%5$sbench">%5$sbench</a> or <a href="%5$shealth">%5$shealth</a>.</p>
                </main>
                </body>
                </html>
                """.formatted(escape(settings.name()), pid, settings.port(),
                escape(settings.mode().value()), escape(base));
    }

    /** Escapes text for use in HTML element content and quoted attribute values. */
    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
