package io.tqserver.fastcgi;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Second inbound handler of a FastCGI connection: turns the records of one response into HTTP
 * messages. The STDOUT stream becomes an {@link HttpResponse} once its CGI header block has
 * arrived, then one {@link DefaultHttpContent} per record of body, so a body is never held
 * whole. STDERR becomes {@link FastCgiStderr} and END_REQUEST becomes {@link FastCgiEndRequest},
 * after which the decoder is ready for the next response on the same connection.
 */
public final class FastCgiResponseDecoder extends MessageToMessageDecoder<FastCgiRecord> {

    /** Largest CGI header block accepted; php-fpm sends its headers in the first record. */
    public static final int MAX_HEADER_BYTES = 64 * 1024;

    private ByteBuf headerBlock;
    private boolean inBody;

    public FastCgiResponseDecoder() {
        super(FastCgiRecord.class);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, FastCgiRecord record, List<Object> out) {
        ByteBuf content = record.content();
        switch (record.type()) {
            case FastCgiRecord.STDOUT -> onStdout(ctx, content, out);
            case FastCgiRecord.STDERR -> {
                if (content.isReadable()) {
                    out.add(new FastCgiStderr(content.toString(StandardCharsets.UTF_8)));
                }
            }
            case FastCgiRecord.END_REQUEST -> onEndRequest(content, out);
            default -> {
                // GET_VALUES_RESULT and UNKNOWN_TYPE answer queries this client never sends.
            }
        }
    }

    private void onStdout(ChannelHandlerContext ctx, ByteBuf content, List<Object> out) {
        if (!content.isReadable()) {
            return;
        }
        if (inBody) {
            out.add(new DefaultHttpContent(content.retain()));
            return;
        }
        if (headerBlock == null) {
            headerBlock = ctx.alloc().buffer(content.readableBytes());
        }
        headerBlock.writeBytes(content);
        int bodyStart = CgiResponseHeaders.endOfHeaders(headerBlock);
        if (bodyStart < 0) {
            if (headerBlock.readableBytes() > MAX_HEADER_BYTES) {
                throw new CorruptedFrameException("CGI response headers longer than "
                        + MAX_HEADER_BYTES + " bytes");
            }
            return;
        }
        String headerText = headerBlock.toString(headerBlock.readerIndex(),
                bodyStart - headerBlock.readerIndex(), StandardCharsets.ISO_8859_1);
        headerBlock.readerIndex(bodyStart);
        out.add(CgiResponseHeaders.parse(headerText));
        inBody = true;
        if (headerBlock.isReadable()) {
            out.add(new DefaultHttpContent(headerBlock.retain()));
        }
        releaseHeaderBlock();
    }

    private void onEndRequest(ByteBuf content, List<Object> out) {
        if (content.readableBytes() < 5) {
            throw new CorruptedFrameException(
                    "END_REQUEST of " + content.readableBytes() + " bytes (expected: 8)");
        }
        int appStatus = content.readInt();
        int protocolStatus = content.readUnsignedByte();
        releaseHeaderBlock();
        inBody = false;
        out.add(new FastCgiEndRequest(appStatus, protocolStatus));
    }

    private void releaseHeaderBlock() {
        if (headerBlock != null) {
            headerBlock.release();
            headerBlock = null;
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseHeaderBlock();
    }
}
