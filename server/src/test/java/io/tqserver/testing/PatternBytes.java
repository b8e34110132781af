package io.tqserver.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32;

/**
 * A repeating byte pattern for large transfers: byte {@code i} is {@code i % 251}, the body
 * that the large-transfer tests send and that the {@code echo} test worker's {@code /download}
 * returns. It is written from one small buffer, so a body of any size is never held in memory.
 */
public final class PatternBytes {

    /** A prime length, so that the pattern does not line up with buffer or chunk sizes. */
    private static final int PERIOD = 251;

    private static final byte[] BLOCK = newBlock();

    private PatternBytes() {
    }

    private static byte[] newBlock() {
        byte[] block = new byte[PERIOD * 256];
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) (i % PERIOD);
        }
        return block;
    }

    /** Writes the first {@code length} bytes of the pattern. */
    public static void write(OutputStream out, long length) throws IOException {
        long remaining = length;
        while (remaining > 0) {
            int size = (int) Math.min(BLOCK.length, remaining);
            out.write(BLOCK, 0, size);
            remaining -= size;
        }
    }

    /** Returns the CRC-32 of the first {@code length} bytes of the pattern. */
    public static long crc(long length) {
        CRC32 crc = new CRC32();
        long remaining = length;
        while (remaining > 0) {
            int size = (int) Math.min(BLOCK.length, remaining);
            crc.update(BLOCK, 0, size);
            remaining -= size;
        }
        return crc.getValue();
    }
}
