package io.tqserver.fastcgi;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Writes the records of a FastCGI 1.0 request: BEGIN_REQUEST, the PARAMS stream, and the
 * request body as STDIN records. Records carry no padding, which the protocol allows.
 */
public final class FastCgiRequestEncoder {

    private FastCgiRequestEncoder() {
    }

    /** Returns a BEGIN_REQUEST record of the responder role. */
    public static ByteBuf beginRequest(ByteBufAllocator alloc, int requestId, boolean keepConn) {
        ByteBuf record = alloc.buffer(FastCgiRecord.HEADER_BYTES + 8);
        writeHeader(record, FastCgiRecord.BEGIN_REQUEST, requestId, 8);
        record.writeShort(FastCgiRecord.ROLE_RESPONDER);
        record.writeByte(keepConn ? FastCgiRecord.FLAG_KEEP_CONN : 0);
        record.writeZero(5);
        return record;
    }

    /**
     * Returns the whole PARAMS stream for {@code params}: the name-value pairs, split into
     * records of at most {@value FastCgiRecord#MAX_CONTENT_BYTES} bytes wherever the limit
     * falls, since a pair may span records, then the empty record that ends the stream.
     */
    public static ByteBuf params(
            ByteBufAllocator alloc, int requestId, Map<String, String> params) {
        ByteBuf pairs = alloc.buffer();
        try {
            for (Map.Entry<String, String> param : params.entrySet()) {
                writePair(pairs, param.getKey(), param.getValue());
            }
            int records = pairs.readableBytes() / FastCgiRecord.MAX_CONTENT_BYTES + 2;
            ByteBuf stream = alloc.buffer(
                    pairs.readableBytes() + records * FastCgiRecord.HEADER_BYTES);
            while (pairs.isReadable()) {
                int length = Math.min(pairs.readableBytes(), FastCgiRecord.MAX_CONTENT_BYTES);
                writeHeader(stream, FastCgiRecord.PARAMS, requestId, length);
                stream.writeBytes(pairs, length);
            }
            writeHeader(stream, FastCgiRecord.PARAMS, requestId, 0);
            return stream;
        } finally {
            pairs.release();
        }
    }

    /**
     * Returns {@code content} framed as STDIN records of at most
     * {@value FastCgiRecord#MAX_CONTENT_BYTES} bytes each, without copying it. Takes ownership
     * of {@code content}. Empty content gives an empty buffer, not the end-of-stream record.
     */
    public static ByteBuf stdin(ByteBufAllocator alloc, int requestId, ByteBuf content) {
        int length = content.readableBytes();
        if (length == 0) {
            content.release();
            return alloc.buffer(0);
        }
        int records = (length + FastCgiRecord.MAX_CONTENT_BYTES - 1)
                / FastCgiRecord.MAX_CONTENT_BYTES;
        CompositeByteBuf framed = alloc.compositeBuffer(records * 2);
        while (content.isReadable()) {
            int part = Math.min(content.readableBytes(), FastCgiRecord.MAX_CONTENT_BYTES);
            ByteBuf header = alloc.buffer(FastCgiRecord.HEADER_BYTES);
            writeHeader(header, FastCgiRecord.STDIN, requestId, part);
            framed.addComponent(true, header);
            framed.addComponent(true, content.readRetainedSlice(part));
        }
        content.release();
        return framed;
    }

    /** Returns the empty STDIN record that ends the request body. */
    public static ByteBuf endOfStdin(ByteBufAllocator alloc, int requestId) {
        ByteBuf record = alloc.buffer(FastCgiRecord.HEADER_BYTES);
        writeHeader(record, FastCgiRecord.STDIN, requestId, 0);
        return record;
    }

    /** Returns an ABORT_REQUEST record. */
    public static ByteBuf abortRequest(ByteBufAllocator alloc, int requestId) {
        ByteBuf record = alloc.buffer(FastCgiRecord.HEADER_BYTES);
        writeHeader(record, FastCgiRecord.ABORT_REQUEST, requestId, 0);
        return record;
    }

    static void writeHeader(ByteBuf out, int type, int requestId, int contentLength) {
        out.writeByte(FastCgiRecord.VERSION);
        out.writeByte(type);
        out.writeShort(requestId);
        out.writeShort(contentLength);
        out.writeByte(0);
        out.writeByte(0);
    }

    /** Writes one name-value pair with 1-byte lengths below 128 and 4-byte lengths above. */
    private static void writePair(ByteBuf out, String name, String value) {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        byte[] valueBytes = value.getBytes(StandardCharsets.UTF_8);
        writeLength(out, nameBytes.length);
        writeLength(out, valueBytes.length);
        out.writeBytes(nameBytes);
        out.writeBytes(valueBytes);
    }

    private static void writeLength(ByteBuf out, int length) {
        if (length < 128) {
            out.writeByte(length);
        } else {
            out.writeInt(length | 0x80000000);
        }
    }
}
