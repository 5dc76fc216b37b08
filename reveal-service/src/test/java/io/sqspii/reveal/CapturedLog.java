package io.sqspii.reveal;

import java.io.StringWriter;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Every log event of this JVM, at every level, as "logger message" lines with their throwables, from construction
 * until {@link #close()}, which puts the root logger back as it was. For tests that the log holds no secret.
 */
final class CapturedLog implements AutoCloseable {
    private static final String NAME = "test-capture";

    private final StringWriter text = new StringWriter();
    private final WriterAppender appender;
    private final LoggerContext ctx;
    private final LoggerConfig root;
    private final Level level;

    CapturedLog() {
        appender = WriterAppender.newBuilder()
                .setName(NAME)
                .setTarget(text)
                .setLayout(PatternLayout.newBuilder()
                        .withPattern("%c %m%n%throwable")
                        .build())
                .build();
        appender.start();
        ctx = (LoggerContext) LogManager.getContext(false);
        root = ctx.getConfiguration().getRootLogger();
        level = root.getLevel();
        root.addAppender(appender, Level.ALL, null);
        root.setLevel(Level.ALL);
        ctx.updateLoggers();
    }

    /** What was logged so far. */
    String text() {
        return text.toString();
    }

    @Override
    public void close() {
        root.removeAppender(NAME);
        root.setLevel(level);
        ctx.updateLoggers();
        appender.stop();
    }
}
