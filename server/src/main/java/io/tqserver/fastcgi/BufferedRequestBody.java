package io.tqserver.fastcgi;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A request body of unknown length, held until it has arrived whole so that its length can be
 * sent as {@code CONTENT_LENGTH}, which PHP needs to read a body. The first
 * {@value #MEMORY_BYTES} bytes stay in memory and the rest goes to a temporary file that is
 * deleted on {@link #close()}. Not thread-safe: one event loop uses it.
 */
public final class BufferedRequestBody implements AutoCloseable {

    /** Bytes kept in memory before the body moves to a temporary file. */
    static final int MEMORY_BYTES = 256 * 1024;

    private final long maxBytes;
    private CompositeByteBuf memory = Unpooled.compositeBuffer(Integer.MAX_VALUE);
    private FileChannel spill;
    private long size;
    private long readPosition;

    /** @param maxBytes largest body accepted */
    public BufferedRequestBody(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * Appends {@code part}, releasing it.
     *
     * @return false when the body would exceed its limit; nothing is appended then
     * @throws IOException when the temporary file cannot be written
     */
    public boolean append(ByteBuf part) throws IOException {
        try {
            int length = part.readableBytes();
            if (size + length > maxBytes) {
                return false;
            }
            if (spill == null && size + length <= MEMORY_BYTES) {
                memory.addComponent(true, part.retain());
            } else {
                moveToFile();
                ByteBuffer bytes = part.nioBuffer();
                while (bytes.hasRemaining()) {
                    spill.write(bytes);
                }
            }
            size += length;
            return true;
        } finally {
            part.release();
        }
    }

    public long size() {
        return size;
    }

    /** Starts reading the body again from its first byte, as for a retried request. */
    public void rewind() {
        readPosition = 0;
    }

    public boolean hasRemaining() {
        return readPosition < size;
    }

    /**
     * Returns the next part of the body, of at most {@code maxLength} bytes, which the caller
     * must release.
     */
    public ByteBuf next(ByteBufAllocator alloc, int maxLength) throws IOException {
        int length = (int) Math.min(maxLength, size - readPosition);
        if (spill == null) {
            ByteBuf part = memory.retainedSlice((int) readPosition, length);
            readPosition += length;
            return part;
        }
        ByteBuf part = alloc.buffer(length);
        try {
            int read = 0;
            while (read < length) {
                int n = part.writeBytes(spill, readPosition + read, length - read);
                if (n < 0) {
                    throw new IOException("request body file shorter than " + size + " bytes");
                }
                read += n;
            }
        } catch (IOException e) {
            part.release();
            throw e;
        }
        readPosition += length;
        return part;
    }

    private void moveToFile() throws IOException {
        if (spill != null) {
            return;
        }
        Path spillFile = Files.createTempFile("tqserver-body-", ".tmp");
        spill = FileChannel.open(spillFile, StandardOpenOption.READ, StandardOpenOption.WRITE,
                StandardOpenOption.DELETE_ON_CLOSE);
        ByteBuffer bytes = memory.nioBuffer();
        while (bytes.hasRemaining()) {
            spill.write(bytes);
        }
        memory.release();
        memory = null;
    }

    /** Frees the memory and deletes the temporary file. */
    @Override
    public void close() {
        if (memory != null) {
            memory.release();
            memory = null;
        }
        if (spill != null) {
            try {
                spill.close();
            } catch (IOException e) {
                // DELETE_ON_CLOSE removes the file even when closing reports an error.
            }
            spill = null;
        }
    }
}
