package io.tqserver.staticfiles;

/**
 * One byte range of a file, from a {@code Range: bytes=} header (RFC 9110 section 14.1.2).
 *
 * @param start first byte
 * @param length number of bytes
 */
record ByteRange(long start, long length) {

    /** Result of {@link #parse} for a range that lies wholly past the end of the file. */
    static final ByteRange UNSATISFIABLE = new ByteRange(-1, 0);

    /**
     * Parses a single range: {@code bytes=a-b}, {@code bytes=a-} or {@code bytes=-n}.
     *
     * @return the range clipped to {@code size}, {@link #UNSATISFIABLE}, or {@code null} when
     *     the header is invalid or names several ranges, in which case the whole file is sent
     */
    static ByteRange parse(String header, long size) {
        if (header == null || !header.startsWith("bytes=") || header.indexOf(',') >= 0) {
            return null;
        }
        String spec = header.substring("bytes=".length()).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        try {
            String first = spec.substring(0, dash).trim();
            String last = spec.substring(dash + 1).trim();
            if (first.isEmpty()) {
                long suffix = Long.parseLong(last);
                if (suffix <= 0) {
                    return suffix == 0 ? UNSATISFIABLE : null;
                }
                long length = Math.min(suffix, size);
                return size == 0 ? UNSATISFIABLE : new ByteRange(size - length, length);
            }
            long start = Long.parseLong(first);
            long end = last.isEmpty() ? Long.MAX_VALUE : Long.parseLong(last);
            if (start < 0 || end < start) {
                return null;
            }
            if (start >= size) {
                return UNSATISFIABLE;
            }
            end = Math.min(end, size - 1);
            return new ByteRange(start, end - start + 1);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
