package npuc.logging;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeMap;

import ch.qos.logback.classic.pattern.TargetLengthBasedClassNameAbbreviator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * One log line per event, as text or as a JSON object, chosen by {@link #setFormat(String)} (from logback.xml)
 * or at run time by {@link ConsoleLog}. Both carry the logging context (MDC): the text after the level as
 * {@code [job_id=... target=...]}, the JSON as fields of their own next to {@code timestamp}, {@code level},
 * {@code logger}, {@code thread}, {@code message} and, for a failure, {@code stack_trace}.
 */
public final class LogLineLayout extends LayoutBase<ILoggingEvent> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS")
        .withZone(ZoneId.systemDefault());
    private static final JsonFactory JSON = new JsonFactory();

    private final TargetLengthBasedClassNameAbbreviator abbreviator = new TargetLengthBasedClassNameAbbreviator(20);
    private volatile LogFormat format = LogFormat.TEXT;

    /** "text" or "json"; the logback.xml property. */
    public void setFormat(String name) {
        format = LogFormat.parse(name);
    }

    public void use(LogFormat value) {
        format = value;
    }

    public LogFormat format() {
        return format;
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        return format == LogFormat.JSON ? json(event) : text(event);
    }

    private String text(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(128);
        line.append(TIME.format(Instant.ofEpochMilli(event.getTimeStamp()))).append(' ');
        String level = event.getLevel().toString();
        line.append(level).append(" ".repeat(Math.max(1, 6 - level.length())));
        line.append(abbreviator.abbreviate(event.getLoggerName())).append(" - ");
        Map<String, String> context = event.getMDCPropertyMap();
        if (context != null && !context.isEmpty()) {
            line.append('[');
            boolean first = true;
            for (Map.Entry<String, String> entry : new TreeMap<>(context).entrySet()) {
                line.append(first ? "" : " ").append(entry.getKey()).append('=').append(entry.getValue());
                first = false;
            }
            line.append("] ");
        }
        line.append(event.getFormattedMessage()).append(System.lineSeparator());
        IThrowableProxy failure = event.getThrowableProxy();
        if (failure != null) {
            line.append(ThrowableProxyUtil.asString(failure)).append(System.lineSeparator());
        }
        return line.toString();
    }

    private static String json(ILoggingEvent event) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("timestamp", Instant.ofEpochMilli(event.getTimeStamp()).toString());
            json.writeStringField("level", event.getLevel().toString());
            json.writeStringField("logger", event.getLoggerName());
            json.writeStringField("thread", event.getThreadName());
            json.writeStringField("message", event.getFormattedMessage());
            Map<String, String> context = event.getMDCPropertyMap();
            if (context != null) {
                for (Map.Entry<String, String> entry : new TreeMap<>(context).entrySet()) {
                    json.writeStringField(entry.getKey(), entry.getValue());
                }
            }
            IThrowableProxy failure = event.getThrowableProxy();
            if (failure != null) {
                json.writeStringField("error", failure.getClassName() + ": " + failure.getMessage());
                json.writeStringField("stack_trace", ThrowableProxyUtil.asString(failure));
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to a string cannot fail", e);
        }
        return out + System.lineSeparator();
    }
}
