package npuc.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import npuc.embedded.EmbeddedS3Endpoint;
import npuc.messages.CompileResult;
import npuc.messages.ResultStatus;
import npuc.worker.ops.OpsHttpServer;
import npuc.worker.ops.OpsSettings;
import npuc.worker.ops.PrometheusText;
import npuc.worker.ops.WorkerMetrics;
import npuc.worker.storage.ObjectStorage;
import npuc.worker.storage.S3Settings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Workers on a real broker and S3 endpoint while the infrastructure misbehaves: an object store that goes away
 * pauses the worker and fails no job; a worker joining the group takes partitions without the first worker
 * redoing the work of the partitions it keeps.
 */
class FailingInfrastructureTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static TestCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new TestCluster(4);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static String get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString()).body();
    }

    private static List<String> deadLetterKeys(String prefix) {
        return cluster.readCommitted(cluster.topics.deadLetters()).stream()
            .map(r -> r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8))
            .filter(key -> key.startsWith(prefix)).toList();
    }

    @Test
    void jobsMetByAStoreOutageWaitForItAndNoneFails() throws Exception {
        String modelUri = cluster.uploadModel("outage/m.tflite", SimulatedCompiler.model("outage", 2048));
        int s3Port = cluster.s3.endpoint().getPort();
        try (LoopbackProxy proxy = new LoopbackProxy(s3Port);
             ObjectStorage storage = new ObjectStorage(S3Settings.forEndpoint(URI.create("http://127.0.0.1:"
                 + proxy.port()), EmbeddedS3Endpoint.ACCESS_KEY, EmbeddedS3Endpoint.SECRET_KEY).buildClient(),
                 3, Duration.ofMillis(50))) {
            WorkerMetrics metrics = new WorkerMetrics();
            Topics topics = cluster.ownJobsTopic("outage.jobs", 2);
            WorkerSettings settings = cluster.workerSettings("outage-worker").withGroupId("outage").withTopics(topics);
            OpsSettings ops = OpsSettings.defaults().withHttpPort(0).withProbe("artifacts", Duration.ofSeconds(1));
            try (WorkerService service = new WorkerService(settings, ops, new SimulatedCompiler(Duration.ofMillis(20)),
                    storage, metrics, Clock.systemUTC())) {
                service.start();
                int port = service.httpPort().orElseThrow();
                proxy.cut();
                for (int i = 0; i < 3; i++) {
                    cluster.submitTo(topics.jobs(), null, TestJobs.job("outage-" + i, modelUri,
                        TestJobs.fiveTargets().subList(0, 2)));
                }

                long deadline = System.nanoTime() + WAIT.toNanos();
                String ready = get(port, OpsHttpServer.READY_PATH);
                while (!ready.contains("the object store fails jobs") && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                    ready = get(port, OpsHttpServer.READY_PATH);
                }
                assertTrue(ready.contains("\"status\":\"DOWN\"") && ready.contains("the object store fails jobs"), ready);
                assertEquals(1.0, PrometheusText.parse(metrics.scrape()).value("npuc_consumer_paused"));
                assertEquals(List.of(), cluster.results(r -> r.getJobId().startsWith("outage-")),
                    "no job is failed for the outage");

                proxy.restore();
                for (int i = 0; i < 3; i++) {
                    List<CompileResult> results = cluster.awaitResults("outage-" + i, 2, WAIT);
                    assertEquals(2, results.size(), results.toString());
                    results.forEach(r -> assertEquals(ResultStatus.OK, r.getStatus(), r.toString()));
                }
                assertEquals(List.of(), deadLetterKeys("outage-"));
                PrometheusText scraped = PrometheusText.parse(metrics.scrape());
                assertTrue(scraped.value("npuc_jobs_deferred_total") >= 1);
                assertEquals(0.0, scraped.value("npuc_consumer_paused"));
            }
        }
    }

    /** Counts the compiles of each job and target across the workers of this JVM. */
    private static final class CountingCompiler implements TargetCompiler {
        final Map<String, AtomicInteger> compiles = new ConcurrentHashMap<>();
        private final SimulatedCompiler simulated;

        CountingCompiler(Duration perTarget) {
            simulated = new SimulatedCompiler(perTarget);
        }

        @Override
        public TargetOutcome compile(ModelBytes model, TargetSpec target, npuc.Cancellation cancellation)
                throws npuc.BadInputException {
            compiles.computeIfAbsent(model.name() + "/" + target.name(), k -> new AtomicInteger()).incrementAndGet();
            return simulated.compile(model, target, cancellation);
        }
    }

    @Test
    void aWorkerJoiningTakesPartitionsWithoutTheWorkOnThoseThatStayBeingRedone() throws Exception {
        CountingCompiler compiler = new CountingCompiler(Duration.ofSeconds(8));
        Topics topics = cluster.ownJobsTopic("sticky.jobs", 4);
        Map<String, Integer> partitionOfJob = new HashMap<>();
        for (int p = 0; p < 4; p++) {
            String jobId = "sticky-" + p;
            cluster.uploadModel("sticky/" + jobId + ".tflite", SimulatedCompiler.model(jobId, 512));
            cluster.submitTo(topics.jobs(), p, TestJobs.job(jobId, "s3://models/sticky/" + jobId + ".tflite",
                TestJobs.fiveTargets().subList(0, 1)));
            partitionOfJob.put(jobId, p);
        }
        WorkerSettings base = cluster.workerSettings("sticky-1").withGroupId("sticky").withTopics(topics)
            .withConcurrency(4, 4);
        try (CompileWorker first = new CompileWorker(base, compiler, cluster.storage)) {
            first.start();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (compiler.compiles.size() < 4 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(4, compiler.compiles.size(), "the first worker compiles a job of every partition");
            try (CompileWorker second = new CompileWorker(cluster.workerSettings("sticky-2").withGroupId("sticky")
                    .withTopics(topics).withConcurrency(4, 4), compiler, cluster.storage)) {
                second.start();
                Map<String, String> publishedBy = new HashMap<>();
                for (String jobId : partitionOfJob.keySet()) {
                    List<CompileResult> results = cluster.awaitResults(jobId, 1, WAIT);
                    assertEquals(1, results.size(), jobId + ": " + results);
                    publishedBy.put(jobId, results.get(0).getWorkerId());
                }
                assertTrue(publishedBy.containsValue("sticky-2"), "the second worker took partitions: " + publishedBy);
                for (Map.Entry<String, String> job : publishedBy.entrySet()) {
                    int compiles = compiler.compiles.get(job.getKey() + "/u55-128-high-end-shared").get();
                    if (job.getValue().equals("sticky-1")) {
                        assertEquals(1, compiles, job.getKey() + " stayed with the first worker and compiled once");
                    } else {
                        assertTrue(compiles <= 2, job.getKey() + " moved and was compiled at most again: " + compiles);
                    }
                }
            }
        }
    }

    @Test
    void aGarbageMegabyteAndATenThousandTargetFailureEachGetOneDeadLetterAndTheNextJobRuns() throws Exception {
        String good = cluster.uploadModel("dlt/good.tflite", SimulatedCompiler.model("good", 1024));
        Topics topics = cluster.ownJobsTopic("garbage.jobs", 1);
        byte[] garbage = new byte[1_040_000];
        new java.util.Random(5).nextBytes(garbage);
        garbage[0] = (byte) 0xC3;
        garbage[1] = 0x01;
        cluster.submitTo(topics.jobs(), null, "garbage-mb".getBytes(StandardCharsets.UTF_8), garbage);
        List<npuc.messages.CompileTarget> unknown = new java.util.ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            unknown.add(TestJobs.target("t" + i, "x" + i, "Ethos_U55_High_End_Embedded", "Shared_Sram",
                npuc.messages.Strategy.Performance));
        }
        cluster.submitTo(topics.jobs(), null, TestJobs.job("unknown-10k", good, unknown));
        cluster.submitTo(topics.jobs(), null, TestJobs.job("after-dlt", good, TestJobs.fiveTargets().subList(0, 1)));
        try (CompileWorker worker = new CompileWorker(cluster.workerSettings("dlt-worker").withGroupId("dlt")
                .withTopics(topics).withConcurrency(2, 4), new SimulatedCompiler(Duration.ZERO), cluster.storage)) {
            worker.start();
            assertEquals(ResultStatus.OK, cluster.awaitResults("after-dlt", 1, WAIT).get(0).getStatus());
            assertEquals(10_000, cluster.awaitResults("unknown-10k", 10_000, WAIT).size());
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (deadLetterKeys("garbage-mb").isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            List<ConsumerRecord<byte[], byte[]>> letters = cluster.readCommitted(cluster.topics.deadLetters());
            assertEquals(1, deadLetterKeys("garbage-mb").size());
            assertEquals(1, deadLetterKeys("unknown-10k").size());
            for (ConsumerRecord<byte[], byte[]> letter : letters) {
                String key = new String(letter.key(), StandardCharsets.UTF_8);
                if (key.equals("garbage-mb")) {
                    assertEquals(0, letter.value().length, "the megabyte went to the store");
                    assertTrue(header(letter, CompileWorker.DLT_MESSAGE).startsWith("s3://artifacts/npuc-dead-letters/"));
                } else if (key.equals("unknown-10k")) {
                    assertTrue(header(letter, CompileWorker.DLT_REASON).length() < 10_000);
                    assertTrue(header(letter, CompileWorker.DLT_REASON).contains("more distinct errors"));
                    assertTrue(header(letter, CompileWorker.DLT_REPORT).endsWith("/report.json"));
                }
            }
        }
    }

    @Test
    void aDeadLetterTheBrokerRefusesAsTooLargeFailsOneTransactionAndGoesOutWithItsHeadersOnly() throws Exception {
        Topics topics = new Topics(cluster.ownJobsTopic("small-dlt.jobs", 4).jobs(), cluster.topics.results(),
            "npuc.jobs.small-dlt");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                cluster.kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topics.deadLetters(), 1, (short) 1)
                .configs(Map.of("max.message.bytes", "2048")))).all().get();
        }
        String good = cluster.uploadModel("small-dlt/good.tflite", SimulatedCompiler.model("small", 512));
        List<npuc.messages.CompileTarget> unknown = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            unknown.add(TestJobs.target("t" + i, "ethos-u99-" + i, "Ethos_U55_High_End_Embedded", "Shared_Sram",
                npuc.messages.Strategy.Performance));
        }
        cluster.submitTo(topics.jobs(), 3, TestJobs.job("refused-dlt", good, unknown));
        WorkerMetrics metrics = new WorkerMetrics();
        try (CompileWorker worker = new CompileWorker(cluster.workerSettings("small-dlt").withGroupId("small-dlt")
                .withTopics(topics), new SimulatedCompiler(Duration.ZERO), cluster.storage, metrics)) {
            worker.start();
            assertEquals(40, cluster.awaitResults("refused-dlt", 40, WAIT).size());
            Thread.sleep(1500);
            assertEquals(40, cluster.results(r -> r.getJobId().equals("refused-dlt")).size(), "each result once");
            List<ConsumerRecord<byte[], byte[]>> letters = cluster.readCommitted(topics.deadLetters());
            assertEquals(1, letters.size());
            assertEquals(0, letters.get(0).value().length);
            assertTrue(header(letters.get(0), CompileWorker.DLT_SOURCE).startsWith("small-dlt.jobs-3@"));
            assertTrue(PrometheusText.parse(metrics.scrape()).value("npuc_kafka_transaction_retries_total") >= 1);
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
