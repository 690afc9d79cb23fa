package npuc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;

import npuc.worker.WorkerSettings;
import npuc.worker.ops.OpsSettings;
import org.junit.jupiter.api.Test;

/** The worker's flags and the environment variables behind their defaults. */
class WorkerCommandTest {
    @Test
    void everyWorkerOptionWithAnEnvironmentVariableIsSetByIt() throws Exception {
        WorkerCommand command = DeclaredConfiguration.workerConfiguredBy(Map.of(
            "NPUC_BOOTSTRAP_SERVERS", "kafka-0:9092,kafka-1:9092",
            "NPUC_GROUP_ID", "nightly",
            "NPUC_WORKER_ID", "pod-7",
            "NPUC_STATIC_MEMBERSHIP", "false",
            "NPUC_COMPILE_THREADS", "3",
            "NPUC_MAX_JOBS_IN_FLIGHT", "5",
            "NPUC_SHUTDOWN_GRACE_SECONDS", "12",
            "NPUC_HTTP_PORT", "9100",
            "NPUC_S3_PROBE_BUCKET", "farm-artifacts",
            "NPUC_S3_PROBE_INTERVAL_SECONDS", "4"));

        WorkerSettings settings = command.settings();
        OpsSettings ops = command.opsSettings();

        assertEquals("kafka-0:9092,kafka-1:9092", settings.bootstrapServers());
        assertEquals("nightly", settings.groupId());
        assertEquals("pod-7", settings.workerId());
        assertFalse(settings.staticMembership());
        assertEquals(3, settings.compileThreads());
        assertEquals(5, settings.maxInFlightJobs());
        assertEquals(Duration.ofSeconds(12), settings.shutdownGrace());
        assertEquals(new OpsSettings(9100, "0.0.0.0", "farm-artifacts", Duration.ofSeconds(4), Duration.ofMinutes(2)),
            ops);
    }

    @Test
    void withoutFlagsTheDocumentedDefaultsApply() throws Exception {
        Map<String, DeclaredConfiguration.EnvironmentVariable> declared = DeclaredConfiguration.environment("worker");
        assertTrue(declared.keySet().stream().noneMatch(name -> System.getenv(name) != null),
            "this check needs an environment without NPUC_* settings");
        WorkerCommand command = DeclaredConfiguration.workerConfiguredBy(Map.of());

        assertTrue(command.settings().staticMembership());
        assertEquals("npuc-workers", command.settings().groupId());
        assertEquals(OpsSettings.defaults(), command.opsSettings());
        assertEquals("8080", declared.get("NPUC_HTTP_PORT").fallback().orElseThrow());
    }

    @Test
    void badLoggingAndPortSettingsAreUsageErrors() {
        CliTest.Run format = CliTest.run("worker", "--log-format", "xml");
        assertEquals(Main.EXIT_USAGE, format.exitCode());
        assertTrue(format.err().startsWith("npuc: usage error: log format must be text or json, not 'xml'"), format.err());

        CliTest.Run port = CliTest.run("worker", "--http-port", "70000");
        assertEquals(Main.EXIT_USAGE, port.exitCode());
        assertTrue(port.err().contains("HTTP port must be 0 to 65535, or -1"), port.err());
    }

    @Test
    void aPortInUseIsAUsageErrorNamingThePort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            int port = taken.getLocalPort();
            CliTest.Run run = CliTest.run("worker", "--bootstrap-servers", "127.0.0.1:1", "--http-port",
                Integer.toString(port));
            assertEquals(Main.EXIT_USAGE, run.exitCode(), run.err());
            assertTrue(run.err().startsWith("npuc: usage error: --http-port: cannot serve health and metrics on 0.0.0.0:"
                + port + ": "), run.err());
            assertEquals(2, run.err().lines().count(), "the error and the hint to --help: " + run.err());
        }
    }
}
