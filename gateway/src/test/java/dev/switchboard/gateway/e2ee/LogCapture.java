package dev.switchboard.gateway.e2ee;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Everything logged while it is open, as SecretsStayOutOfLogsTest captures it, with the whole
 * throwable chain. Switchboard's own loggers and Vert.x's log at every level meanwhile (DEBUG and
 * TRACE included), so a plaintext logged at any level is caught.
 */
final class LogCapture implements AutoCloseable {

    private static final List<String> VERBOSE = List.of("dev.switchboard", "io.vertx");

    private final Logger root;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final List<Level> levels = new ArrayList<>();

    LogCapture() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        for (String name : VERBOSE) {
            Logger logger = context.getLogger(name);
            levels.add(logger.getLevel());
            logger.setLevel(Level.ALL);
        }
        appender.setContext(context);
        appender.start();
        root.addAppender(appender);
    }

    /** One line per event: the formatted message, its arguments, MDC and every throwable's message. */
    synchronized List<String> lines() {
        List<ILoggingEvent> events;
        synchronized (appender) {
            // AppenderBase.doAppend holds the appender's lock while it adds to the list.
            events = new ArrayList<>(appender.list);
        }
        List<String> lines = new ArrayList<>();
        for (ILoggingEvent event : events) {
            StringBuilder line = new StringBuilder(event.getFormattedMessage());
            line.append(' ').append(event.getMDCPropertyMap());
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                line.append(' ').append(t.getClassName()).append(": ").append(t.getMessage());
            }
            lines.add(line.toString());
        }
        return lines;
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        for (int i = 0; i < VERBOSE.size(); i++) {
            context.getLogger(VERBOSE.get(i)).setLevel(levels.get(i));
        }
    }
}
