package io.avalonsync.socketio;

import java.util.ArrayList;
import java.util.List;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/** Records what one logger writes (from DEBUG up) for the duration of a test (also used by other packages' tests). */
public final class LogCapture implements AutoCloseable {

    private final String loggerName;
    private final List<LogEvent> events = new ArrayList<>();
    private final AbstractAppender appender;
    private volatile String hookMessage;
    private volatile Runnable hook;

    public LogCapture(Class<?> logger) {
        this(logger.getName(), Level.DEBUG);
    }

    /** By logger name, for a class the test cannot see. */
    public LogCapture(String loggerName) {
        this(loggerName, Level.DEBUG);
    }

    /** Records a logger and its children (a package such as {@code org.apache.camel}) from {@code level} up. */
    public LogCapture(String loggerName, Level level) {
        this.loggerName = loggerName;
        this.appender = new AbstractAppender("capture-" + loggerName, null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                synchronized (events) {
                    events.add(event.toImmutable());
                }
                Runnable action = hook;
                if (action != null && event.getMessage().getFormattedMessage().equals(hookMessage)) {
                    hook = null;
                    action.run();
                }
            }
        };
        appender.start();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration configuration = context.getConfiguration();
        LoggerConfig loggerConfig = new LoggerConfig(loggerName, level, true);
        loggerConfig.addAppender(appender, level, null);
        configuration.addLogger(loggerName, loggerConfig);
        context.updateLoggers();
    }

    /**
     * Runs {@code action} once, in the logging thread, when {@code message} is logged: a test acts at that exact
     * point of the service's work, which then goes on.
     */
    public void onceLogged(String message, Runnable action) {
        hookMessage = message;
        hook = action;
    }

    public List<String> messages(Level level) {
        synchronized (events) {
            return events.stream().filter(e -> e.getLevel() == level)
                    .map(e -> e.getMessage().getFormattedMessage()).toList();
        }
    }

    /** Every message logged with an exception attached (printed with its stack trace), as logger: message: exception. */
    public List<String> withStackTraces() {
        synchronized (events) {
            return events.stream().filter(e -> e.getThrown() != null)
                    .map(e -> e.getLoggerName() + ": " + e.getMessage().getFormattedMessage() + ": " + e.getThrown())
                    .toList();
        }
    }

    @Override
    public void close() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().removeLogger(loggerName);
        context.updateLoggers();
        appender.stop();
    }
}
