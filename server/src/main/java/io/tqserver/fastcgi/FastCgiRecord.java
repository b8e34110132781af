package io.tqserver.fastcgi;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * One FastCGI 1.0 record as read from a connection: its type, request id and content, without
 * the header and padding. The content is a retained slice that the reader must release.
 */
public final class FastCgiRecord extends DefaultByteBufHolder {

    /** Protocol version written in every record header. */
    public static final int VERSION = 1;
    /** Size of a record header in bytes. */
    public static final int HEADER_BYTES = 8;
    /** Largest content of one record, because its length field has 16 bits. */
    public static final int MAX_CONTENT_BYTES = 65_535;

    public static final int BEGIN_REQUEST = 1;
    public static final int ABORT_REQUEST = 2;
    public static final int END_REQUEST = 3;
    public static final int PARAMS = 4;
    public static final int STDIN = 5;
    public static final int STDOUT = 6;
    public static final int STDERR = 7;
    public static final int DATA = 8;
    public static final int GET_VALUES = 9;
    public static final int GET_VALUES_RESULT = 10;
    public static final int UNKNOWN_TYPE = 11;

    /** Role of a BEGIN_REQUEST that asks the application for a response. */
    public static final int ROLE_RESPONDER = 1;
    /** BEGIN_REQUEST flag that keeps the connection open after END_REQUEST. */
    public static final int FLAG_KEEP_CONN = 1;

    /** END_REQUEST protocol status of a request that ran to its end. */
    public static final int REQUEST_COMPLETE = 0;

    private final int type;
    private final int requestId;

    public FastCgiRecord(int type, int requestId, ByteBuf content) {
        super(content);
        this.type = type;
        this.requestId = requestId;
    }

    public int type() {
        return type;
    }

    public int requestId() {
        return requestId;
    }

    @Override
    public String toString() {
        return "FastCgiRecord(type=" + type + ", requestId=" + requestId + ", length="
                + content().readableBytes() + ")";
    }
}
