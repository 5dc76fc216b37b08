package io.sqspii.sqs;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/** Collects every log line (with any stack trace) emitted while open. */
final class LogCapture implements AutoCloseable {

    final List<String> lines = new CopyOnWriteArrayList<>();
    final List<LogEvent> events = new CopyOnWriteArrayList<>();
    private final AbstractAppender appender;
    private final LoggerContext ctx;

    LogCapture() {
        ctx = (LoggerContext) LogManager.getContext(false);
        appender = new AbstractAppender("capture-" + UUID.randomUUID(), null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent e) {
                StringBuilder line = new StringBuilder(e.getLevel() + " " + e.getLoggerName() + " "
                        + e.getMessage().getFormattedMessage());
                if (e.getThrown() != null) {
                    StringWriter sw = new StringWriter();
                    e.getThrown().printStackTrace(new PrintWriter(sw));
                    line.append('\n').append(sw);
                }
                lines.add(line.toString());
                events.add(e.toImmutable());
            }
        };
        appender.start();
        ctx.getConfiguration().getRootLogger().addAppender(appender, Level.ALL, null);
        ctx.updateLoggers();
    }

    List<String> at(Level level) {
        return events.stream()
                .filter(e -> e.getLevel() == level)
                .map(e -> e.getMessage().getFormattedMessage())
                .toList();
    }

    @Override
    public void close() {
        ctx.getConfiguration().getRootLogger().removeAppender(appender.getName());
        ctx.updateLoggers();
        appender.stop();
    }
}
