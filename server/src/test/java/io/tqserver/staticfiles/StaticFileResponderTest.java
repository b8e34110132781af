package io.tqserver.staticfiles;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.FileRegion;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticFileResponderTest {

    @TempDir
    Path folder;

    private Path file;

    @BeforeEach
    void writeFile() throws IOException {
        file = folder.resolve("style.css");
        Files.writeString(file, "0123456789");
    }

    @Test
    void sendsWholeFileWithValidators() throws Exception {
        String response = respond(request(HttpMethod.GET));

        assertThat(response).startsWith("HTTP/1.1 200 OK\r\n");
        assertThat(response).containsIgnoringCase("content-type: text/css; charset=utf-8\r\n");
        assertThat(response).containsIgnoringCase("content-length: 10\r\n");
        assertThat(response).containsIgnoringCase("etag: \"");
        assertThat(response).containsIgnoringCase("last-modified: ");
        assertThat(response).endsWith("\r\n\r\n0123456789");
    }

    @Test
    void headSendsNoBody() throws Exception {
        String response = respond(request(HttpMethod.HEAD));

        assertThat(response).containsIgnoringCase("content-length: 10\r\n");
        assertThat(response).endsWith("\r\n\r\n");
    }

    @Test
    void rangeGivesPartialContent() throws Exception {
        FullHttpRequest request = request(HttpMethod.GET);
        request.headers().set("Range", "bytes=2-4");

        String response = respond(request);

        assertThat(response).startsWith("HTTP/1.1 206 Partial Content\r\n");
        assertThat(response).containsIgnoringCase("content-range: bytes 2-4/10\r\n");
        assertThat(response).endsWith("\r\n\r\n234");
    }

    @Test
    void rangePastEndGives416() throws Exception {
        FullHttpRequest request = request(HttpMethod.GET);
        request.headers().set("Range", "bytes=20-");

        String response = respond(request);

        assertThat(response).startsWith("HTTP/1.1 416 Requested Range Not Satisfiable\r\n");
        assertThat(response).containsIgnoringCase("content-range: bytes */10\r\n");
    }

    @Test
    void matchingEtagGives304() throws Exception {
        String first = respond(request(HttpMethod.GET));
        String etag = first.lines().filter(line -> line.toLowerCase().startsWith("etag:"))
                .findFirst().orElseThrow().substring(5).trim();
        FullHttpRequest request = request(HttpMethod.GET);
        request.headers().set("If-None-Match", etag);

        String response = respond(request);

        assertThat(response).startsWith("HTTP/1.1 304 Not Modified\r\n");
        assertThat(response).endsWith("\r\n\r\n");
    }

    @Test
    void postGives405WithAllow() throws Exception {
        String response = respond(request(HttpMethod.POST));

        assertThat(response).startsWith("HTTP/1.1 405 Method Not Allowed\r\n");
        assertThat(response).containsIgnoringCase("allow: GET, HEAD\r\n");
    }

    private static FullHttpRequest request(HttpMethod method) {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, "/style.css");
    }

    /** Runs the request through a server codec and returns the bytes written, as text. */
    private String respond(FullHttpRequest request) throws IOException {
        EmbeddedChannel channel = new EmbeddedChannel(new HttpServerCodec(),
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        if (msg instanceof HttpRequest received) {
                            StaticFileResponder.respond(ctx, received, file, true);
                        }
                        ReferenceCountUtil.release(msg);
                    }
                });
        ByteBuf wire = Unpooled.copiedBuffer(requestText(request), StandardCharsets.US_ASCII);
        channel.writeInbound(wire);
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        WritableByteChannel target = Channels.newChannel(written);
        Object out;
        while ((out = channel.readOutbound()) != null) {
            if (out instanceof ByteBuf bytes) {
                bytes.readBytes(written, bytes.readableBytes());
            } else if (out instanceof FileRegion region) {
                while (region.transferred() < region.count()) {
                    region.transferTo(target, region.transferred());
                }
            }
            ReferenceCountUtil.release(out);
        }
        channel.finishAndReleaseAll();
        return written.toString(StandardCharsets.ISO_8859_1);
    }

    private static String requestText(FullHttpRequest request) {
        StringBuilder text = new StringBuilder()
                .append(request.method()).append(' ').append(request.uri())
                .append(" HTTP/1.1\r\nHost: localhost\r\n");
        request.headers().forEach(header ->
                text.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n"));
        return text.append("\r\n").toString();
    }
}
