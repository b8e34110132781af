package io.tqserver.reload;

import io.tqserver.logging.AccessLogFile;
import io.tqserver.proxy.AccessLogSink;
import io.tqserver.proxy.ProxyServer;
import java.time.Clock;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects the proxy's access records to the access log file of the configuration, and moves
 * them to a new file when {@code server.access_log} changes.
 */
public final class AccessLog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AccessLog.class);

    private final ProxyServer proxy;
    private String filePattern;
    private int maxHistory;
    private AccessLogFile file;

    public AccessLog(ProxyServer proxy) {
        this.proxy = proxy;
    }

    /**
     * Opens the file of {@code newPattern}, points the proxy at it and closes the previous one.
     * Does nothing when neither the pattern nor the history changed. When the new file cannot
     * be opened, the failure is logged and the previous file stays in use.
     *
     * @param newPattern file pattern, or {@code null} to turn the access log off
     */
    public synchronized void change(String newPattern, int newMaxHistory) {
        if (Objects.equals(newPattern, filePattern) && newMaxHistory == maxHistory) {
            return;
        }
        AccessLogFile opened = null;
        if (newPattern != null) {
            try {
                opened = AccessLogFile.open(newPattern, newMaxHistory, Clock.systemDefaultZone());
            } catch (RuntimeException e) {
                log.error("access log not opened, previous file kept file={}", newPattern, e);
                return;
            }
        }
        AccessLogFile writer = opened;
        proxy.accessLog(writer == null ? AccessLogSink.NONE
                : record -> writer.write(record.toLogLine()));
        if (file != null) {
            file.close();
        }
        file = opened;
        filePattern = newPattern;
        maxHistory = newMaxHistory;
        log.info("access log file={}", newPattern == null ? "off" : newPattern);
    }

    @Override
    public synchronized void close() {
        proxy.accessLog(AccessLogSink.NONE);
        if (file != null) {
            file.close();
            file = null;
        }
    }
}
