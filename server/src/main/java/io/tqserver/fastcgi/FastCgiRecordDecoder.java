package io.tqserver.fastcgi;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import java.util.List;

/**
 * First inbound handler of a FastCGI connection: splits the byte stream into
 * {@link FastCgiRecord}s and drops their padding. A record is emitted once it has arrived
 * whole, so at most one record of 64 KiB is buffered.
 */
public final class FastCgiRecordDecoder extends ByteToMessageDecoder {

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= FastCgiRecord.HEADER_BYTES) {
            int start = in.readerIndex();
            int version = in.getUnsignedByte(start);
            if (version != FastCgiRecord.VERSION) {
                throw new CorruptedFrameException(
                        "FastCGI version: " + version + " (expected: 1)");
            }
            int type = in.getUnsignedByte(start + 1);
            int requestId = in.getUnsignedShort(start + 2);
            int contentLength = in.getUnsignedShort(start + 4);
            int paddingLength = in.getUnsignedByte(start + 6);
            int recordLength = FastCgiRecord.HEADER_BYTES + contentLength + paddingLength;
            if (in.readableBytes() < recordLength) {
                return;
            }
            in.skipBytes(FastCgiRecord.HEADER_BYTES);
            ByteBuf content = in.readRetainedSlice(contentLength);
            in.skipBytes(paddingLength);
            out.add(new FastCgiRecord(type, requestId, content));
        }
    }
}
