package io.tqserver.fastcgi;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds the FastCGI PARAMS of a request: the CGI meta-variables of RFC 3875 section 4.1, the
 * ones php-fpm reads besides ({@code SCRIPT_FILENAME}, {@code REQUEST_URI},
 * {@code DOCUMENT_ROOT}, {@code REQUEST_SCHEME}), and one {@code HTTP_*} variable per request
 * header.
 */
public final class CgiVariables {

    /**
     * Headers that never become {@code HTTP_*}: {@code Proxy} because PHP code reads
     * {@code HTTP_PROXY} as the outgoing proxy (httpoxy), the hop-by-hop headers, and the two
     * headers that have variables of their own.
     */
    private static final Set<String> EXCLUDED_HEADERS = Set.of(
            "proxy", "connection", "keep-alive", "proxy-connection", "te", "trailer",
            "transfer-encoding", "upgrade", "content-type", "content-length");

    private CgiVariables() {
    }

    /**
     * Returns the variables of one request.
     *
     * @param requestTarget the request-target as the client sent it, in origin form
     * @param routePrefix the route prefix, or {@code /} for the root route
     * @param contentLength body length sent on STDIN, or -1 when the request has no body
     * @param local the proxy's address on the client connection
     * @param remote the client's address
     */
    public static Map<String, String> of(
            HttpRequest request, String requestTarget, String routePrefix,
            ScriptTarget.Script script, String documentRoot, long contentLength,
            InetSocketAddress local, InetSocketAddress remote) {
        Map<String, String> variables = new LinkedHashMap<>();
        String prefix = routePrefix.equals("/") ? "" : routePrefix;
        int queryStart = requestTarget.indexOf('?');
        String query = queryStart < 0 ? "" : requestTarget.substring(queryStart + 1);
        variables.put("GATEWAY_INTERFACE", "CGI/1.1");
        variables.put("SERVER_SOFTWARE", "TQServer");
        variables.put("REQUEST_METHOD", request.method().name());
        variables.put("REQUEST_URI", requestTarget);
        variables.put("QUERY_STRING", query);
        variables.put("SCRIPT_NAME", prefix + script.scriptName());
        variables.put("SCRIPT_FILENAME", script.file().toString());
        variables.put("DOCUMENT_ROOT", documentRoot);
        variables.put("DOCUMENT_URI", prefix + script.scriptName() + script.pathInfo());
        if (!script.pathInfo().isEmpty()) {
            variables.put("PATH_INFO", script.pathInfo());
            variables.put("PATH_TRANSLATED", documentRoot + script.pathInfo());
        }
        putContent(variables, request.headers(), contentLength);
        variables.put("SERVER_NAME", serverName(request.headers().get(HttpHeaderNames.HOST),
                local));
        variables.put("SERVER_ADDR", local.getAddress().getHostAddress());
        variables.put("SERVER_PORT", Integer.toString(local.getPort()));
        variables.put("SERVER_PROTOCOL", request.protocolVersion().text());
        variables.put("REMOTE_ADDR", remote.getAddress().getHostAddress());
        variables.put("REMOTE_PORT", Integer.toString(remote.getPort()));
        // TODO: set HTTPS=on and REQUEST_SCHEME=https once the front proxy terminates TLS.
        variables.put("REQUEST_SCHEME", "http");
        putHeaders(variables, request.headers());
        return variables;
    }

    private static void putContent(
            Map<String, String> variables, HttpHeaders headers, long contentLength) {
        String contentType = headers.get(HttpHeaderNames.CONTENT_TYPE);
        variables.put("CONTENT_TYPE", contentType == null ? "" : contentType);
        variables.put("CONTENT_LENGTH", contentLength < 0 ? "" : Long.toString(contentLength));
    }

    /**
     * Adds {@code HTTP_*} variables. A header name with characters other than letters, digits
     * and {@code -} is left out, so that {@code X_Forwarded_For} cannot pass for
     * {@code X-Forwarded-For}; repeated headers are joined as RFC 9110 section 5.3 allows, and
     * {@code Cookie} with {@code ;} as RFC 6265 section 5.4 requires.
     */
    private static void putHeaders(Map<String, String> variables, HttpHeaders headers) {
        for (String name : headers.names()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (EXCLUDED_HEADERS.contains(lower) || !isPlainName(name)) {
                continue;
            }
            String separator = lower.equals("cookie") ? "; " : ", ";
            String value = String.join(separator, headers.getAll(name));
            variables.put("HTTP_" + lower.toUpperCase(Locale.ROOT).replace('-', '_'), value);
        }
    }

    private static boolean isPlainName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9') || c == '-';
            if (!allowed) {
                return false;
            }
        }
        return !name.isEmpty();
    }

    /** Returns the Host header without its port, or the local address when there is none. */
    static String serverName(String host, InetSocketAddress local) {
        if (host == null || host.isBlank()) {
            return local.getAddress().getHostAddress();
        }
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            return close < 0 ? host : host.substring(0, close + 1);
        }
        int colon = host.lastIndexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }
}
