package npuc.worker.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import npuc.embedded.EmbeddedKafkaBroker;
import npuc.embedded.EmbeddedS3Endpoint;
import npuc.messages.CompileResult;
import npuc.messages.ResultStatus;
import npuc.worker.storage.ObjectStorage;
import npuc.worker.storage.S3Location;
import npuc.worker.storage.S3Settings;
import npuc.worker.storage.StorageException;
import org.junit.jupiter.api.Test;

class WorkerMetricsTest {
    @Test
    void s3RetriesAreCountedAndTheOpenCircuitIsTheOneStateReported() throws Exception {
        WorkerMetrics metrics = new WorkerMetrics();
        int port = EmbeddedKafkaBroker.freePort();
        try (ObjectStorage storage = new ObjectStorage(S3Settings.forEndpoint(URI.create("http://127.0.0.1:" + port),
                EmbeddedS3Endpoint.ACCESS_KEY, EmbeddedS3Endpoint.SECRET_KEY).buildClient(), 3, Duration.ofMillis(5))) {
            metrics.watch(storage);
            PrometheusText before = PrometheusText.parse(metrics.scrape());
            assertEquals(1, before.value("npuc_s3_circuit_state", "state", "closed"));
            for (int i = 0; i < 5; i++) {
                assertThrows(StorageException.class, () -> storage.info(new S3Location("models", "m.tflite")));
            }

            PrometheusText after = PrometheusText.parse(metrics.scrape());
            // Three attempts per request, ten refused calls open the circuit; the rest are refused by it and retried.
            assertEquals(10, after.value("npuc_s3_retries_total"));
            assertEquals(1, after.value("npuc_s3_circuit_state", "state", "open"));
            assertEquals(0, after.value("npuc_s3_circuit_state", "state", "closed"));
        }
    }

    @Test
    void aJobCountsOnceByItsWorstTargetAndUnknownNamesAreNotTagValues() {
        WorkerMetrics metrics = new WorkerMetrics();
        metrics.jobPublished(List.of(result(ResultStatus.OK), result(ResultStatus.FAILED)));
        metrics.jobPublished(List.of(result(ResultStatus.INVALID)));
        metrics.compiled("ETHOS-U65-512", "Dedicated_Sram_512KB", true, 2_000_000);
        metrics.compiled("ethos-u99-1", "My_Own_Mode", false, 1_000_000);

        PrometheusText scraped = PrometheusText.parse(metrics.scrape());
        assertEquals(1, scraped.value("npuc_jobs_total", "status", "failed"));
        assertEquals(1, scraped.value("npuc_jobs_total", "status", "invalid"));
        assertEquals(0, scraped.value("npuc_jobs_total", "status", "ok"));
        assertEquals(1, scraped.value("npuc_targets_total", "status", "ok"));
        assertEquals(1, scraped.value("npuc_targets_total", "status", "failed"));
        assertEquals(1, scraped.value("npuc_compile_seconds_count",
            Map.of("accelerator", "ethos-u65-512", "memory_mode", "Dedicated_Sram_512KB", "outcome", "ok")).orElseThrow());
        assertEquals(1, scraped.value("npuc_compile_seconds_count",
            Map.of("accelerator", "other", "memory_mode", "other", "outcome", "failed")).orElseThrow());
        assertTrue(scraped.samples().stream().noneMatch(s -> s.labels().containsValue("ethos-u99-1")));
        assertTrue(scraped.samples().stream().anyMatch(s -> s.name().equals("npuc_compile_seconds_bucket")),
            "compile time is a histogram");
    }

    @Test
    void sharedCompileWorkIsReportedPerKindAsItStandsWhenScraped() throws Exception {
        WorkerMetrics metrics = new WorkerMetrics();
        npuc.worker.PipelineCompiler compiler = new npuc.worker.PipelineCompiler();
        metrics.sharedCompileWork(compiler::sharedWorkStatistics);
        PrometheusText before = PrometheusText.parse(metrics.scrape());
        assertEquals(0, before.value("npuc_compile_cache_hits_total", "cache", "front_end"));

        npuc.worker.ModelBytes model = npuc.worker.ModelBytes.of("kws",
            npuc.tflite.ModelBuilder.keywordSpotting().toBytes());
        for (long arena : new long[] {64 * 1024, 128 * 1024}) {
            compiler.compile(model, new npuc.worker.TargetSpec("kws-" + arena, "ethos-u55-128",
                "Ethos_U55_High_End_Embedded", "Shared_Sram", java.util.OptionalLong.of(arena),
                npuc.schedule.OptimizationStrategy.Performance, Map.of(), java.util.Optional.empty()), new npuc.Cancellation());
        }
        PrometheusText after = PrometheusText.parse(metrics.scrape());
        // Two arena sizes of one model on one accelerator: the second compile takes the first's front end.
        assertEquals(1, after.value("npuc_compile_cache_misses_total", "cache", "front_end"));
        assertEquals(1, after.value("npuc_compile_cache_hits_total", "cache", "front_end"));
        assertTrue(after.value("npuc_compile_cache_hits_total", "cache", "encoded_weights") > 0);
        assertTrue(after.value("npuc_compile_cache_bytes", "cache", "encoded_weights") > 0);
    }

    private static CompileResult result(ResultStatus status) {
        return CompileResult.newBuilder().setJobId("j").setTargetName("t").setStatus(status).setError(null)
            .setModelUri("s3://m/x.tflite").setModelSha256(null).setArtifacts(Map.of()).setMetrics(Map.of())
            .setCompileMillis(1).setWorkerId("w").setNpucVersion("dev").setFinishedAt(java.time.Instant.EPOCH).build();
    }
}
