package npuc.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import npuc.messages.CompileResult;
import npuc.messages.ResultStatus;
import npuc.worker.ops.OpsHttpServer;
import npuc.worker.ops.OpsSettings;
import npuc.worker.ops.PrometheusText;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The worker as deployed, against the embedded broker and S3 endpoint: its health endpoints and its
 * Prometheus endpoint, scraped while jobs run, and the job id and target on its log lines.
 */
class WorkerServiceTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
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

    private static OpsSettings ops(String bucket) {
        return OpsSettings.defaults().withHttpPort(0).withProbe(bucket, Duration.ofMillis(200));
    }

    static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static PrometheusText scrape(int port) throws Exception {
        HttpResponse<String> response = get(port, OpsHttpServer.METRICS_PATH);
        assertEquals(200, response.statusCode());
        assertEquals(OpsHttpServer.METRICS_CONTENT_TYPE, response.headers().firstValue("Content-Type").orElseThrow());
        return PrometheusText.parse(response.body());
    }

    /** Scrapes until the figures satisfy {@code done}; returns the last scrape either way. */
    static PrometheusText scrapeUntil(int port, Predicate<PrometheusText> done) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        PrometheusText metrics = scrape(port);
        while (!done.test(metrics) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            metrics = scrape(port);
        }
        return metrics;
    }

    static HttpResponse<String> awaitStatus(int port, String path, int status) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        HttpResponse<String> response = get(port, path);
        while (response.statusCode() != status && System.nanoTime() < deadline) {
            Thread.sleep(100);
            response = get(port, path);
        }
        return response;
    }

    @Test
    void readyOnceJoinedAndS3AnswersAndTheScrapedCountersFollowThePublishedJobs() throws Exception {
        // Queued before the worker starts and taken one at a time, so its first lag reading sees them waiting.
        String modelUri = cluster.uploadModel("ops/queued.tflite", SimulatedCompiler.model("queued", 2048));
        List<String> queued = List.of("queued-0", "queued-1", "queued-2", "queued-3");
        for (String jobId : queued) {
            cluster.submit(TestJobs.job(jobId, modelUri, TestJobs.fiveTargets().subList(0, 1)));
        }
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        Logger npuc = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("npuc");
        logs.start();
        npuc.addAppender(logs);
        WorkerSettings settings = cluster.workerSettings("ops-worker").withGroupId("ops-ready").withConcurrency(1, 1);
        try (WorkerService service = new WorkerService(settings, ops(TestCluster.ARTIFACTS_BUCKET),
                new SimulatedCompiler(Duration.ofMillis(300)), cluster.storage)) {
            int port = service.httpPort().orElseThrow();
            HttpResponse<String> starting = get(port, OpsHttpServer.READY_PATH);
            assertEquals(503, starting.statusCode(), starting.body());
            assertTrue(JSON.readTree(starting.body()).get("reasons").toString().contains("starting"), starting.body());
            assertEquals(200, get(port, OpsHttpServer.LIVE_PATH).statusCode());

            service.start();

            PrometheusText waiting = scrapeUntil(port, m -> m.value("npuc_consumer_lag") > 0);
            assertTrue(waiting.value("npuc_consumer_lag") > 0, "queued jobs show as lag");
            HttpResponse<String> ready = awaitStatus(port, OpsHttpServer.READY_PATH, 200);
            assertEquals(200, ready.statusCode(), ready.body());
            JsonNode body = JSON.readTree(ready.body());
            assertEquals("UP", body.get("status").asText());
            assertTrue(body.at("/checks/kafka/detail").asText().startsWith("joined group ops-ready with 2 partitions"),
                ready.body());
            assertTrue(body.at("/checks/s3/ok").asBoolean(), ready.body());

            for (String jobId : queued) {
                assertEquals(1, cluster.awaitResults(jobId, 1, WAIT).size());
            }
            PrometheusText afterQueue = scrapeUntil(port, m -> m.value("npuc_jobs_total", "status", "ok") == 4
                && m.value("npuc_consumer_lag") == 0);
            assertEquals(4, afterQueue.value("npuc_jobs_total", "status", "ok"));
            assertEquals(0, afterQueue.value("npuc_jobs_total", "status", "failed"));
            assertEquals(4, afterQueue.value("npuc_targets_total", "status", "ok"));
            assertEquals(4, afterQueue.value("npuc_compile_seconds_count",
                Map.of("accelerator", "ethos-u55-128", "memory_mode", "Shared_Sram", "outcome", "ok")).orElseThrow());
            assertTrue(afterQueue.value("npuc_compile_seconds_sum",
                Map.of("accelerator", "ethos-u55-128", "outcome", "ok")).orElseThrow() >= 4 * 0.3);
            assertEquals(0, afterQueue.value("npuc_consumer_lag"));
            assertEquals(1, afterQueue.value("npuc_model_downloads_total"), "four jobs on one model download it once");
            assertEquals(1, afterQueue.value("npuc_s3_circuit_state", "state", "closed"));
            assertEquals(0, afterQueue.value("npuc_s3_circuit_state", "state", "open"));
            assertEquals(0, afterQueue.value("npuc_s3_retries_total"));
            assertEquals(0, afterQueue.value("npuc_kafka_transaction_retries_total"));
            assertEquals(0, afterQueue.value("npuc_kafka_send_retries_total"));
            assertEquals(2, afterQueue.value("npuc_consumer_assigned_partitions"));
            assertEquals(0, afterQueue.value("npuc_jobs_in_flight"));

            cluster.submit(TestJobs.job("ops-missing", "s3://models/ops/none.tflite", TestJobs.fiveTargets()));
            List<CompileResult> failed = cluster.awaitResults("ops-missing", 5, WAIT);
            assertTrue(failed.stream().allMatch(r -> r.getStatus() == ResultStatus.FAILED));
            PrometheusText afterFailure = scrapeUntil(port, m -> m.value("npuc_jobs_total", "status", "failed") == 1);
            assertEquals(1, afterFailure.value("npuc_jobs_total", "status", "failed"));
            assertEquals(5, afterFailure.value("npuc_targets_total", "status", "failed"));
            assertEquals(4, afterFailure.value("npuc_jobs_total", "status", "ok"));
        } finally {
            npuc.detachAppender(logs);
        }

        List<ILoggingEvent> published = logs.list.stream()
            .filter(e -> e.getFormattedMessage().startsWith("job queued-0 published")).toList();
        assertEquals(1, published.size(), "one line per published job");
        assertEquals("queued-0", published.get(0).getMDCPropertyMap().get(LogKeys.JOB_ID));
        List<ILoggingEvent> failedTargets = logs.list.stream()
            .filter(e -> "ops-missing".equals(e.getMDCPropertyMap().get(LogKeys.JOB_ID))
                && e.getMDCPropertyMap().containsKey(LogKeys.TARGET))
            .toList();
        assertEquals(5, failedTargets.size(), "one line per failed target, with its job and target");
        for (ILoggingEvent event : logs.list) {
            for (String jobId : List.of("queued-0", "queued-1", "queued-2", "queued-3", "ops-missing")) {
                if (event.getFormattedMessage().contains("job " + jobId + " ")) {
                    assertEquals(jobId, event.getMDCPropertyMap().get(LogKeys.JOB_ID), event.toString());
                }
            }
        }
    }

    @Test
    void aMissingProbeBucketKeepsAJoinedWorkerUnreadyAndSaysWhy() throws Exception {
        WorkerSettings settings = cluster.workerSettings("ops-unready").withGroupId("ops-unready");
        try (WorkerService service = new WorkerService(settings, ops("no-such-bucket"),
                new SimulatedCompiler(Duration.ofMillis(10)), cluster.storage)) {
            int port = service.httpPort().orElseThrow();
            service.start();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!service.worker().status().groupJoined() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(service.worker().status().groupJoined());

            HttpResponse<String> unready = get(port, OpsHttpServer.READY_PATH);
            assertEquals(503, unready.statusCode(), unready.body());
            JsonNode body = JSON.readTree(unready.body());
            assertEquals("DOWN", body.get("status").asText());
            assertTrue(body.at("/checks/kafka/ok").asBoolean(), unready.body());
            assertFalse(body.at("/checks/s3/ok").asBoolean(), unready.body());
            assertEquals(List.of("s3: bucket no-such-bucket does not exist"),
                JSON.convertValue(body.get("reasons"), List.class), unready.body());
            assertEquals(200, get(port, OpsHttpServer.LIVE_PATH).statusCode());

            assertEquals(404, get(port, OpsHttpServer.METRICS_PATH + "x").statusCode());
            HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + OpsHttpServer.METRICS_PATH))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode());
        }
    }

    @Test
    void theEndpointsCanBeTurnedOff() throws Exception {
        WorkerSettings settings = cluster.workerSettings("ops-quiet").withGroupId("ops-quiet");
        try (WorkerService service = new WorkerService(settings, ops("artifacts").withHttpPort(OpsSettings.DISABLED),
                new SimulatedCompiler(Duration.ofMillis(10)), cluster.storage)) {
            assertTrue(service.httpPort().isEmpty());
            assertEquals(List.of("worker: starting"), service.readiness().reasons().subList(0, 1));
        }
    }
}
