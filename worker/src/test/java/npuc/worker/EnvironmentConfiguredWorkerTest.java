package npuc.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import npuc.embedded.EmbeddedKafkaBroker;
import npuc.embedded.EmbeddedS3Endpoint;
import npuc.messages.CompileResult;
import npuc.messages.ResultStatus;
import npuc.tflite.ModelBuilder;
import npuc.worker.ops.OpsHttpServer;
import npuc.worker.ops.PrometheusText;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code npuc worker} in a JVM of its own, configured only by NPUC_* environment variables as the
 * container image is: it becomes ready, compiles a real model, counts the job on /metrics, writes JSON
 * log lines carrying the job id, and stops on SIGTERM.
 */
class EnvironmentConfiguredWorkerTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static TestCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new TestCluster(2);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theWorkerCommandConfiguredByTheEnvironmentServesHealthMetricsAndJsonLogs() throws Exception {
        int port = EmbeddedKafkaBroker.freePort();
        Path stderr = Files.createTempFile("npuc-env-worker-", ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
            "npuc.cli.Main", "worker")
            .redirectError(stderr.toFile())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("NPUC_"));
        env.put("NPUC_BOOTSTRAP_SERVERS", cluster.kafka.bootstrapServers());
        env.put("NPUC_S3_ENDPOINT", cluster.s3.endpoint().toString());
        env.put("NPUC_S3_ACCESS_KEY", EmbeddedS3Endpoint.ACCESS_KEY);
        env.put("NPUC_S3_SECRET_KEY", EmbeddedS3Endpoint.SECRET_KEY);
        env.put("NPUC_S3_PROBE_BUCKET", TestCluster.ARTIFACTS_BUCKET);
        env.put("NPUC_S3_PROBE_INTERVAL_SECONDS", "1");
        env.put("NPUC_WORKER_ID", "env-worker");
        env.put("NPUC_GROUP_ID", "env-group");
        env.put("NPUC_COMPILE_THREADS", "2");
        env.put("NPUC_SHUTDOWN_GRACE_SECONDS", "5");
        env.put("NPUC_HTTP_PORT", Integer.toString(port));
        env.put("NPUC_LOG_FORMAT", "json");

        Process worker = builder.start();
        try {
            long deadline = System.nanoTime() + WAIT.toNanos();
            int ready = 0;
            while (ready != 200 && worker.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(200);
                try {
                    ready = WorkerServiceTest.get(port, OpsHttpServer.READY_PATH).statusCode();
                } catch (java.io.IOException notListeningYet) {
                    ready = 0;
                }
            }
            assertEquals(200, ready, "ready; its log: " + Files.readString(stderr));

            String modelUri = cluster.uploadModel("env/kws.tflite", ModelBuilder.keywordSpotting().toBytes());
            cluster.submit(TestJobs.job("env-kws", modelUri, TestJobs.fiveTargets().subList(0, 2)));
            List<CompileResult> results = cluster.awaitResults("env-kws", 2, WAIT);
            assertEquals(2, results.stream().filter(r -> r.getStatus() == ResultStatus.OK).count(), results.toString());
            assertTrue(results.stream().allMatch(r -> r.getWorkerId().equals("env-worker")));
            PrometheusText metrics = WorkerServiceTest.scrapeUntil(port,
                m -> m.value("npuc_jobs_total", "status", "ok") == 1);
            assertEquals(1, metrics.value("npuc_jobs_total", "status", "ok"));
            assertEquals(2, metrics.value("npuc_compile_seconds_count",
                Map.of("accelerator", "ethos-u55-128", "outcome", "ok")).orElseThrow()
                + metrics.value("npuc_compile_seconds_count",
                    Map.of("accelerator", "ethos-u65-256", "outcome", "ok")).orElseThrow());
            assertTrue(metrics.value("jvm_threads_live_threads") > 0, "JVM meters are reported too");
        } finally {
            worker.destroy();
            assertTrue(worker.waitFor(30, TimeUnit.SECONDS), "SIGTERM stops the worker");
        }

        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(stderr)) {
            if (!line.isBlank()) {
                lines.add(json.readTree(line));
            }
        }
        Files.delete(stderr);
        JsonNode published = lines.stream()
            .filter(l -> l.path("message").asText().equals("job env-kws published, 2 of 2 targets OK"))
            .findFirst().orElseThrow(() -> new AssertionError("no published line in " + lines));
        assertEquals("env-kws", published.get("job_id").asText());
        assertEquals("INFO", published.get("level").asText());
        assertTrue(lines.stream().anyMatch(l -> l.path("message").asText().startsWith("health and metrics on port " + port)));
    }
}
