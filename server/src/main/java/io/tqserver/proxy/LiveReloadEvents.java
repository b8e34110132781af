package io.tqserver.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.tqserver.routing.Route;
import io.tqserver.routing.RouteMatch;
import io.tqserver.routing.RouteTable;
import io.tqserver.routing.RouteTableListener;
import io.tqserver.routing.Router;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The browsers that listen for live-reload events in development mode, each with the page path
 * it shows, and the route changes that reload them: the page's worker swapped to a new
 * instance, its build failed with new errors, or the path now maps to another route.
 *
 * <p>Events are Server-Sent Events named {@code reload} whose data is
 * {@code {"worker":"<name>","reason":"<swapped|build-failed|route-changed>"}}.
 */
final class LiveReloadEvents implements RouteTableListener {

    private static final Logger log = LoggerFactory.getLogger(LiveReloadEvents.class);

    /** The path that {@link LiveReloadEventsHandler} serves the event stream on. */
    static final String PATH = "/_tqserver/events";

    /** Open event streams and the page path each one watches. */
    private final Map<Channel, String> listeners = new ConcurrentHashMap<>();

    /** Creates the event source and subscribes it to every change of {@code router}. */
    static LiveReloadEvents listenTo(Router router) {
        LiveReloadEvents events = new LiveReloadEvents();
        router.addListener(events);
        return events;
    }

    /** Sends the events for {@code pagePath} to {@code stream} until the stream closes. */
    void subscribe(Channel stream, String pagePath) {
        listeners.put(stream, pagePath);
        stream.closeFuture().addListener(closed -> listeners.remove(stream));
    }

    /** Returns the number of open event streams. */
    int listenerCount() {
        return listeners.size();
    }

    @Override
    public void routesChanged(RouteTable previous, RouteTable current) {
        listeners.forEach((stream, pagePath) -> {
            Route before = routeOf(previous, pagePath);
            Route after = routeOf(current, pagePath);
            String reason = reloadReason(before, after);
            if (reason != null) {
                String worker = after != null ? after.workerName() : before.workerName();
                send(stream, worker, reason);
            }
        });
    }

    /**
     * Returns why a page served by {@code before} must reload now that {@code after} serves it,
     * or null when it need not. A build that succeeded does not reload the page by itself: the
     * swap to the instance running it does.
     */
    static String reloadReason(Route before, Route after) {
        if (before == null || after == null) {
            return before == after ? null : "route-changed";
        }
        if (!before.workerName().equals(after.workerName())
                || !before.prefix().equals(after.prefix())) {
            return "route-changed";
        }
        if (after.buildFailure() != null && !after.buildFailure().equals(before.buildFailure())) {
            return "build-failed";
        }
        if (after.instance() != null && after.instance() != before.instance()) {
            return "swapped";
        }
        return null;
    }

    private static Route routeOf(RouteTable table, String pagePath) {
        Optional<RouteMatch> match = table.match(pagePath);
        return match.map(RouteMatch::route).orElse(null);
    }

    private static void send(Channel stream, String worker, String reason) {
        String event = "event: reload\ndata: {\"worker\":\"" + jsonEscape(worker)
                + "\",\"reason\":\"" + reason + "\"}\n\n";
        log.debug("live reload event sent worker={} reason={} channel={}",
                worker, reason, stream);
        stream.writeAndFlush(new DefaultHttpContent(text(event)))
                .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }

    static ByteBuf text(String text) {
        return Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String jsonEscape(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
