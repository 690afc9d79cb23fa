package npuc.logging;

import java.util.Iterator;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Switches the console log after start-up, when the command line is known: logback.xml reads the same
 * settings from the environment, but a flag can only take effect once parsed.
 */
public final class ConsoleLog {
    private ConsoleLog() {
    }

    /**
     * Writes every line of the console appenders in {@code format} and logs npuc's own loggers from
     * {@code level} up; does nothing when logback is not the logging back end (as in some embeddings).
     */
    public static void use(LogFormat format, Level level) {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            return;
        }
        context.getLogger("npuc").setLevel(level);
        Iterator<Appender<ILoggingEvent>> appenders = context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders();
        while (appenders.hasNext()) {
            if (appenders.next() instanceof OutputStreamAppender<ILoggingEvent> stream
                    && stream.getEncoder() instanceof LayoutWrappingEncoder<ILoggingEvent> encoder
                    && encoder.getLayout() instanceof LogLineLayout layout) {
                layout.use(format);
            }
        }
    }

    /** A level by name (TRACE, DEBUG, INFO, WARN, ERROR, OFF), in any case. */
    public static Level level(String name) {
        Level level = Level.toLevel(name.trim(), null);
        if (level == null) {
            throw new IllegalArgumentException("log level must be one of TRACE, DEBUG, INFO, WARN, ERROR, OFF, not '"
                + name + "'");
        }
        return level;
    }
}
