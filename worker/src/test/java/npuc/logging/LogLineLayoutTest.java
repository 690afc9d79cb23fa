package npuc.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import npuc.worker.LogKeys;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogLineLayoutTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LoggingEvent event(String message, Map<String, String> context, Throwable failure) {
        LoggerContext context0 = new LoggerContext();
        Logger logger = context0.getLogger("npuc.worker.CompileWorker");
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.WARN, message, failure, null);
        event.setThreadName("npuc-compile-1");
        event.setTimeStamp(1_700_000_000_123L);
        event.setMDCPropertyMap(context);
        return event;
    }

    @Test
    void jsonLinesCarryTheJobAndTargetAsFieldsOfTheirOwn() throws Exception {
        LogLineLayout layout = new LogLineLayout();
        layout.setFormat("json");

        String line = layout.doLayout(event("target \"t1\" FAILED: out of memory",
            Map.of(LogKeys.JOB_ID, "sweep-7", LogKeys.TARGET, "u55-128"), null));

        assertTrue(line.endsWith(System.lineSeparator()) && line.indexOf('\n') == line.length() - 1, line);
        JsonNode json = JSON.readTree(line);
        assertEquals("2023-11-14T22:13:20.123Z", json.get("timestamp").asText());
        assertEquals("WARN", json.get("level").asText());
        assertEquals("npuc.worker.CompileWorker", json.get("logger").asText());
        assertEquals("npuc-compile-1", json.get("thread").asText());
        assertEquals("target \"t1\" FAILED: out of memory", json.get("message").asText());
        assertEquals("sweep-7", json.get("job_id").asText());
        assertEquals("u55-128", json.get("target").asText());
        assertFalse(json.has("stack_trace"));
    }

    @Test
    void aFailureIsOneJsonLineWithItsStackTrace() throws Exception {
        LogLineLayout layout = new LogLineLayout();
        layout.use(LogFormat.JSON);

        String line = layout.doLayout(event("compiling failed", Map.of(), new IllegalStateException("bad\nstate")));

        assertEquals(1, line.lines().count(), line);
        JsonNode json = JSON.readTree(line);
        assertEquals("java.lang.IllegalStateException: bad\nstate", json.get("error").asText());
        assertTrue(json.get("stack_trace").asText().contains("LogLineLayoutTest"), line);
        assertFalse(json.has("job_id"));
    }

    @Test
    void textLinesShowTheContextBeforeTheMessage() {
        LogLineLayout layout = new LogLineLayout();

        String line = layout.doLayout(event("job sweep-7 published", Map.of(LogKeys.JOB_ID, "sweep-7"), null));

        assertTrue(line.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  n\\.w\\.CompileWorker - \\[job_id=sweep-7\\] "
            + "job sweep-7 published\\R"), line);
        assertEquals(LogFormat.TEXT, layout.format());
    }

    @Test
    void formatsAndLevelsAreParsedWithOneLineErrors() {
        assertEquals(LogFormat.JSON, LogFormat.parse(" JSON "));
        assertEquals(LogFormat.TEXT, LogFormat.parse("text"));
        assertEquals("log format must be text or json, not 'xml'",
            assertThrows(IllegalArgumentException.class, () -> LogFormat.parse("xml")).getMessage());
        assertEquals(Level.DEBUG, ConsoleLog.level("debug"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConsoleLog.level("loud")).getMessage()
            .startsWith("log level must be one of"));
    }

    @Test
    void theConsoleAppenderOfLogbackXmlSwitchesFormatAndLevelAtRunTime() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        ConsoleAppender<?> console = (ConsoleAppender<?>) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR");
        LogLineLayout layout = (LogLineLayout) ((LayoutWrappingEncoder<?>) console.getEncoder()).getLayout();
        Level before = context.getLogger("npuc").getLevel();
        LogFormat formatBefore = layout.format();
        try {
            ConsoleLog.use(LogFormat.JSON, Level.DEBUG);
            assertEquals(LogFormat.JSON, layout.format());
            assertEquals(Level.DEBUG, context.getLogger("npuc").getLevel());
        } finally {
            ConsoleLog.use(formatBefore, before);
        }
        assertEquals(formatBefore, layout.format());
    }
}
