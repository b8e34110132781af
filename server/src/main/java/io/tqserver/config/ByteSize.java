package io.tqserver.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses memory sizes such as {@code 512MiB}, {@code 256MB}, {@code 1G} or {@code 1073741824}.
 *
 * <p>Units ignore case. {@code KiB}, {@code MiB}, {@code GiB} and {@code TiB} are powers of
 * 1024, and so are the single letters {@code K}, {@code M}, {@code G} and {@code T}, as in JVM
 * {@code -Xmx} and PHP {@code memory_limit}. {@code KB}, {@code MB}, {@code GB} and {@code TB}
 * are powers of 1000. A number without a unit, or with {@code B}, counts bytes. A fraction such
 * as {@code 1.5GiB} is rounded down to whole bytes.
 */
final class ByteSize {

    private static final Pattern SIZE = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*([a-z]*)");

    private static final long KIB = 1L << 10;
    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;
    private static final long TIB = 1L << 40;

    private static final Map<String, Long> UNITS = Map.ofEntries(
            Map.entry("", 1L), Map.entry("b", 1L),
            Map.entry("k", KIB), Map.entry("kib", KIB), Map.entry("kb", 1_000L),
            Map.entry("m", MIB), Map.entry("mib", MIB), Map.entry("mb", 1_000_000L),
            Map.entry("g", GIB), Map.entry("gib", GIB), Map.entry("gb", 1_000_000_000L),
            Map.entry("t", TIB), Map.entry("tib", TIB), Map.entry("tb", 1_000_000_000_000L));

    private ByteSize() {
    }

    /**
     * Returns the number of bytes that {@code text} stands for.
     *
     * @throws IllegalArgumentException when the text is not a size, has an unknown unit, is a
     *     fraction of a byte, or does not fit in a {@code long}
     */
    static long parse(String text) {
        Matcher matcher = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a size: " + text);
        }
        Long unit = UNITS.get(matcher.group(2));
        if (unit == null) {
            throw new IllegalArgumentException("unknown unit: " + matcher.group(2));
        }
        BigDecimal number = new BigDecimal(matcher.group(1));
        if (unit == 1L && number.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("fraction of a byte: " + text);
        }
        BigInteger bytes = number.multiply(BigDecimal.valueOf(unit))
                .setScale(0, RoundingMode.FLOOR).toBigIntegerExact();
        if (bytes.bitLength() >= Long.SIZE) {
            throw new IllegalArgumentException("too large: " + text);
        }
        return bytes.longValueExact();
    }
}
