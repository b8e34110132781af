package io.tqserver.proxy;

/** Converts request-targets to the origin form ({@code /path?query}) that workers receive. */
final class OriginForm {

    private OriginForm() {
    }

    /**
     * Returns {@code target} in origin form: unchanged when it already is, with the scheme and
     * authority removed when it is in absolute form (RFC 9112 section 3.2.2).
     *
     * @return the origin form, or {@code null} for a target that has none, such as {@code *}
     */
    static String of(String target) {
        if (target.startsWith("/")) {
            return target;
        }
        int authorityStart = authorityStart(target);
        if (authorityStart < 0) {
            return null;
        }
        int pathStart = indexOfPathOrQuery(target, authorityStart);
        if (pathStart == authorityStart) {
            return null;
        }
        if (pathStart == target.length()) {
            return "/";
        }
        String rest = target.substring(pathStart);
        return rest.charAt(0) == '?' ? "/" + rest : rest;
    }

    /**
     * Returns the authority ({@code host[:port]}) of an absolute-form {@code target}, or
     * {@code null} when the target is in origin form. A proxy uses it in place of the Host header
     * (RFC 9112 section 3.2.2).
     */
    static String authority(String target) {
        int authorityStart = authorityStart(target);
        if (authorityStart < 0) {
            return null;
        }
        int end = indexOfPathOrQuery(target, authorityStart);
        return end == authorityStart ? null : target.substring(authorityStart, end);
    }

    /**
     * Returns where the authority of an absolute-form http or https {@code target} starts, or
     * -1 for any other target.
     */
    private static int authorityStart(String target) {
        int schemeEnd = target.indexOf("://");
        if (schemeEnd <= 0 || !isHttpScheme(target.substring(0, schemeEnd))) {
            return -1;
        }
        return schemeEnd + 3;
    }

    private static boolean isHttpScheme(String scheme) {
        return scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https");
    }

    private static int indexOfPathOrQuery(String target, int from) {
        for (int i = from; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c == '/' || c == '?') {
                return i;
            }
        }
        return target.length();
    }
}
