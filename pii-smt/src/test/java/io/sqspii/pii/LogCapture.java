package io.sqspii.pii;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Every log line while open (ours at all levels, Connect's at DEBUG and above), with stack traces, for the tests
 * that no plaintext reaches a log (also pii-decrypt-smt's).
 */
public final class LogCapture implements AutoCloseable {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final AbstractAppender appender;
    private final Level rootLevel;
    private final Level kafkaLevel;

    public LogCapture() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration conf = ctx.getConfiguration();
        appender = new AbstractAppender("capture", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                StringBuilder sb = new StringBuilder(event.getLoggerName())
                        .append(' ')
                        .append(event.getMessage().getFormattedMessage());
                if (event.getThrown() != null) {
                    sb.append('\n').append(stackTrace(event.getThrown()));
                }
                lines.add(sb.toString());
            }
        };
        appender.start();
        conf.addAppender(appender);
        LoggerConfig root = conf.getRootLogger();
        rootLevel = root.getLevel();
        root.addAppender(appender, Level.ALL, null);
        root.setLevel(Level.ALL);
        LoggerConfig kafka = conf.getLoggerConfig("org.apache.kafka");
        kafkaLevel = kafka.getLevel();
        // Connect itself dumps whole records at TRACE (TransformationChain, WorkerSourceTask): never run a worker
        // with TRACE on org.apache.kafka.connect.runtime where PII flows (README). DEBUG and above are checked.
        kafka.setLevel(Level.DEBUG);
        ctx.updateLoggers();
    }

    /** The lines logged so far. */
    public List<String> lines() {
        return lines;
    }

    /** Logs {@code t} the way a worker reports a failed task. */
    public static void asFailedTask(Throwable t) {
        LogManager.getLogger("org.apache.kafka.connect.runtime.WorkerTask")
                .error("Task threw an uncaught exception", t);
    }

    public static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }

    @Override
    public void close() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration conf = ctx.getConfiguration();
        conf.getRootLogger().removeAppender("capture");
        conf.getRootLogger().setLevel(rootLevel);
        conf.getLoggerConfig("org.apache.kafka").setLevel(kafkaLevel);
        ctx.updateLoggers();
        appender.stop();
    }
}
