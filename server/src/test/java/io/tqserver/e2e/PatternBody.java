package io.tqserver.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32;

/**
 * The body pattern that large-transfer tests send and the {@code echo} worker's
 * {@code /download} returns: byte {@code i} is {@code i % 251}. It is generated from one small
 * block, so a body of any size is never held in memory.
 */
final class PatternBody {

    /** A prime, so that the pattern does not line up with buffer or chunk sizes. */
    private static final int PERIOD = 251;

    private static final byte[] BLOCK = newBlock();

    private PatternBody() {
    }

    private static byte[] newBlock() {
        byte[] block = new byte[PERIOD * 256];
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) (i % PERIOD);
        }
        return block;
    }

    /** Writes the first {@code length} bytes of the pattern to {@code out}. */
    static void write(OutputStream out, long length) throws IOException {
        long remaining = length;
        while (remaining > 0) {
            int size = (int) Math.min(BLOCK.length, remaining);
            out.write(BLOCK, 0, size);
            remaining -= size;
        }
    }

    /** Returns the CRC-32 of the first {@code length} bytes of the pattern. */
    static long crc(long length) {
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
