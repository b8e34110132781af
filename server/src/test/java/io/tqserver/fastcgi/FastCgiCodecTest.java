package io.tqserver.fastcgi;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FastCgiCodecTest {

    private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;

    @Test
    void longParamSpansRecords() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("SHORT", "x");
        params.put("HTTP_COOKIE", "c".repeat(100_000));
        ByteBuf stream = FastCgiRequestEncoder.params(alloc, 1, params);
        EmbeddedChannel channel = new EmbeddedChannel(new FastCgiRecordDecoder());

        channel.writeInbound(stream);

        ByteBuf pairs = Unpooled.buffer();
        int records = 0;
        FastCgiRecord record;
        while ((record = channel.readInbound()) != null) {
            assertThat(record.type()).isEqualTo(FastCgiRecord.PARAMS);
            assertThat(record.content().readableBytes())
                    .isLessThanOrEqualTo(FastCgiRecord.MAX_CONTENT_BYTES);
            pairs.writeBytes(record.content());
            record.release();
            records++;
        }
        assertThat(records).as("two data records and the empty end record").isEqualTo(3);
        assertThat(readPair(pairs)).isEqualTo(Map.entry("SHORT", "x"));
        assertThat(readPair(pairs)).isEqualTo(Map.entry("HTTP_COOKIE", "c".repeat(100_000)));
        assertThat(pairs.isReadable()).isFalse();
        pairs.release();
    }

    @Test
    void stdinSplitsAtRecordLimit() {
        ByteBuf body = Unpooled.wrappedBuffer(new byte[150_000]);
        EmbeddedChannel channel = new EmbeddedChannel(new FastCgiRecordDecoder());

        channel.writeInbound(FastCgiRequestEncoder.stdin(alloc, 7, body));

        int[] lengths = {65_535, 65_535, 18_930};
        for (int length : lengths) {
            FastCgiRecord record = channel.readInbound();
            assertThat(record.type()).isEqualTo(FastCgiRecord.STDIN);
            assertThat(record.requestId()).isEqualTo(7);
            assertThat(record.content().readableBytes()).isEqualTo(length);
            record.release();
        }
        assertThat((Object) channel.readInbound()).isNull();
    }

    @Test
    void stdoutBecomesStatusHeadersAndBody() {
        EmbeddedChannel channel = responseChannel();

        channel.writeInbound(record(FastCgiRecord.STDOUT, "Status: 404 Not Found\r\n"
                + "Set-Cookie: a=1\r\nSet-Cookie: b=2\r\nContent-Type: text/plain\r\n\r\nno"));
        channel.writeInbound(record(FastCgiRecord.STDOUT, "thing"));
        channel.writeInbound(endRequest(0, FastCgiRecord.REQUEST_COMPLETE));

        HttpResponse response = channel.readInbound();
        assertThat(response.status().code()).isEqualTo(404);
        assertThat(response.headers().getAll("Set-Cookie")).containsExactly("a=1", "b=2");
        assertThat(response.headers().contains("Status")).isFalse();
        assertThat(bodyText(channel.readInbound())).isEqualTo("no");
        assertThat(bodyText(channel.readInbound())).isEqualTo("thing");
        FastCgiEndRequest end = channel.readInbound();
        assertThat(end.isComplete()).isTrue();
    }

    @Test
    void locationWithoutStatusIs302() {
        EmbeddedChannel channel = responseChannel();

        channel.writeInbound(record(FastCgiRecord.STDOUT, "Location: /next\n\n"));

        HttpResponse response = channel.readInbound();
        assertThat(response.status().code()).isEqualTo(302);
        assertThat(response.headers().get("Location")).isEqualTo("/next");
    }

    @Test
    void headersSplitAcrossRecordsWait() {
        EmbeddedChannel channel = responseChannel();

        channel.writeInbound(record(FastCgiRecord.STDOUT, "Content-Type: text/pl"));
        assertThat((Object) channel.readInbound()).isNull();
        channel.writeInbound(record(FastCgiRecord.STDOUT, "ain\r\n\r\n"));

        HttpResponse response = channel.readInbound();
        assertThat(response.status().code()).isEqualTo(200);
        assertThat(response.headers().get("Content-Type")).isEqualTo("text/plain");
    }

    @Test
    void stderrIsKeptApartFromBody() {
        EmbeddedChannel channel = responseChannel();

        channel.writeInbound(record(FastCgiRecord.STDERR, "PHP Warning: oops\n"));
        channel.writeInbound(record(FastCgiRecord.STDOUT, "X: y\r\n\r\nbody"));

        FastCgiStderr stderr = channel.readInbound();
        assertThat(stderr.text()).isEqualTo("PHP Warning: oops\n");
        HttpResponse response = channel.readInbound();
        assertThat(response.headers().get("X")).isEqualTo("y");
        assertThat(bodyText(channel.readInbound())).isEqualTo("body");
    }

    @Test
    void overloadedEndIsNotComplete() {
        EmbeddedChannel channel = responseChannel();

        channel.writeInbound(endRequest(0, 2));

        FastCgiEndRequest end = channel.readInbound();
        assertThat(end.isComplete()).isFalse();
        assertThat(end.protocolStatus()).isEqualTo(2);
    }

    private static EmbeddedChannel responseChannel() {
        return new EmbeddedChannel(new FastCgiRecordDecoder(), new FastCgiResponseDecoder());
    }

    private static ByteBuf record(int type, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuf record = Unpooled.buffer();
        FastCgiRequestEncoder.writeHeader(record, type, 1, bytes.length);
        return record.writeBytes(bytes);
    }

    private static ByteBuf endRequest(int appStatus, int protocolStatus) {
        ByteBuf record = Unpooled.buffer();
        FastCgiRequestEncoder.writeHeader(record, FastCgiRecord.END_REQUEST, 1, 8);
        return record.writeInt(appStatus).writeByte(protocolStatus).writeZero(3);
    }

    private static String bodyText(HttpContent content) {
        String text = content.content().toString(StandardCharsets.ISO_8859_1);
        content.release();
        return text;
    }

    private static Map.Entry<String, String> readPair(ByteBuf pairs) {
        int nameLength = readLength(pairs);
        int valueLength = readLength(pairs);
        String name = pairs.readCharSequence(nameLength, StandardCharsets.UTF_8).toString();
        String value = pairs.readCharSequence(valueLength, StandardCharsets.UTF_8).toString();
        return Map.entry(name, value);
    }

    private static int readLength(ByteBuf pairs) {
        if ((pairs.getByte(pairs.readerIndex()) & 0x80) == 0) {
            return pairs.readByte();
        }
        return pairs.readInt() & 0x7fffffff;
    }
}
