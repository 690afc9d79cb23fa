package npuc.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import npuc.messages.CompileJob;
import npuc.messages.CompileResult;
import npuc.messages.ResultStatus;
import npuc.worker.codec.MessageCodec;
import npuc.worker.storage.S3Location;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import npuc.cli.SubmitCommand;

/** One worker against a real broker and S3 endpoint, fed the jobs a user would send, good and bad. */
class CompileWorkerTest {
    private static TestCluster cluster;
    private static CompileWorker worker;
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final long MODEL_LIMIT = 64 * 1024;

    @BeforeAll
    static void startWorker() throws Exception {
        cluster = new TestCluster(2);
        worker = new CompileWorker(cluster.workerSettings("test-worker").withModelLimits(MODEL_LIMIT, 1 << 20),
            new SimulatedCompiler(Duration.ofMillis(50)), cluster.storage);
        worker.start();
    }

    @AfterAll
    static void stopWorker() {
        if (worker != null) {
            worker.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void sweepJobYieldsOneOkResultPerTargetAndArtifactsUnderTheJobsKeys() throws Exception {
        String modelUri = cluster.uploadModel("zoo/kws.tflite", SimulatedCompiler.model("kws", 4096));
        cluster.submit(TestJobs.job("sweep-1", modelUri, TestJobs.fiveTargets()));

        List<CompileResult> results = cluster.awaitResults("sweep-1", 5, WAIT);

        assertEquals(5, results.size(), "one result per target");
        assertEquals(Set.of("u55-128-high-end-shared", "u65-256-high-end-dedicated", "u55-64-deep-embedded-sram-only",
            "u65-512-mid-end-dedicated-512k", "u55-256-high-end-shared-size"), results.stream().map(CompileResult::getTargetName).collect(Collectors.toSet()));
        for (CompileResult result : results) {
            assertEquals(ResultStatus.OK, result.getStatus(), result.toString());
            assertEquals("test-worker", result.getWorkerId());
            assertTrue(Long.parseLong(result.getMetrics().get("cycles_total")) >= 10_000, result.toString());
            String summaryUri = result.getArtifacts().get(ArtifactStore.SUMMARY_CSV);
            assertEquals("s3://artifacts/runs/sweep-1/" + result.getTargetName() + "/kws_summary_"
                + result.getMetrics().get("system_config") + ".csv", summaryUri);
            byte[] summary = cluster.storage.read(S3Location.parse(summaryUri), 1 << 20);
            assertTrue(new String(summary, StandardCharsets.UTF_8).contains(result.getMetrics().get("cycles_total")));
            assertTrue(result.getArtifacts().containsKey(ArtifactStore.OPTIMISED_MODEL));
        }
    }

    @Test
    void aFiftyTargetSweepDownloadsItsModelOnceAndASecondJobOnTheSameModelNotAtAll() throws Exception {
        String modelUri = cluster.uploadModel("zoo/arena.tflite", SimulatedCompiler.model("arena", 8192));
        long before = worker.modelDownloads();
        cluster.submit(TestJobs.job("arena-sweep", modelUri, TestJobs.arenaSweep(50)));
        assertEquals(50, cluster.awaitResults("arena-sweep", 50, WAIT).stream()
            .filter(r -> r.getStatus() == ResultStatus.OK).count());
        cluster.submit(TestJobs.job("arena-sweep-again", modelUri, TestJobs.arenaSweep(2)));
        assertEquals(2, cluster.awaitResults("arena-sweep-again", 2, WAIT).size());

        assertEquals(1, worker.modelDownloads() - before);
    }

    @Test
    void poisonMessageGoesToTheDeadLetterTopicAndTheNextJobStillCompletes() throws Exception {
        byte[] poison = {(byte) 0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        cluster.submitRaw("poison-1".getBytes(StandardCharsets.UTF_8), poison, new RecordHeaders());
        String modelUri = cluster.uploadModel("zoo/after-poison.tflite", SimulatedCompiler.model("after", 1024));
        cluster.submit(TestJobs.job("after-poison", modelUri, TestJobs.fiveTargets()));

        List<CompileResult> next = cluster.awaitResults("after-poison", 5, WAIT);
        assertEquals(5, next.stream().filter(r -> r.getStatus() == ResultStatus.OK).count());

        List<CompileResult> invalid = cluster.awaitResults("poison-1", 1, WAIT);
        assertEquals(1, invalid.size());
        assertEquals(ResultStatus.INVALID, invalid.get(0).getStatus());
        ConsumerRecord<byte[], byte[]> dead = deadLetter("poison-1");
        assertArrayEquals(poison, dead.value(), "the dead letter keeps the original bytes");
        String reason = new String(dead.headers().lastHeader(CompileWorker.DLT_REASON).value(), StandardCharsets.UTF_8);
        assertTrue(reason.contains("unknown schema"), reason);
    }

    @Test
    void missingModelYieldsFailedResultsAndADeadLetter() throws Exception {
        cluster.submit(TestJobs.job("missing-model", "s3://models/zoo/no-such-model.tflite", TestJobs.fiveTargets()));

        List<CompileResult> results = cluster.awaitResults("missing-model", 5, WAIT);

        assertEquals(5, results.size());
        for (CompileResult result : results) {
            assertEquals(ResultStatus.FAILED, result.getStatus());
            assertEquals("model not found: s3://models/zoo/no-such-model.tflite", result.getError());
            assertEquals(null, result.getFailureSignature(), "a missing model is no compiler bug");
        }
        String reason = new String(deadLetter("missing-model").headers().lastHeader(CompileWorker.DLT_REASON).value(),
            StandardCharsets.UTF_8);
        assertEquals("model not found: s3://models/zoo/no-such-model.tflite", reason);
    }

    @Test
    void corruptModelAndUnknownAcceleratorFailOnlyTheirTargets() throws Exception {
        String corrupt = cluster.uploadModel("zoo/corrupt.tflite", "definitely not a model".getBytes(StandardCharsets.UTF_8));
        cluster.submit(TestJobs.job("corrupt-model", corrupt, TestJobs.fiveTargets().subList(0, 2)));
        String good = cluster.uploadModel("zoo/good.tflite", SimulatedCompiler.model("good", 2048));
        var targets = new java.util.ArrayList<>(TestJobs.fiveTargets().subList(0, 1));
        targets.add(TestJobs.target("bogus", "ethos-u99-1", "Ethos_U55_High_End_Embedded", "Shared_Sram",
            npuc.messages.Strategy.Performance));
        cluster.submit(TestJobs.job("unknown-config", good, targets));

        List<CompileResult> corruptResults = cluster.awaitResults("corrupt-model", 2, WAIT);
        assertEquals(2, corruptResults.stream().filter(r -> r.getStatus() == ResultStatus.FAILED
            && r.getError().contains("not a TFLite model")).count());
        List<CompileResult> mixed = cluster.awaitResults("unknown-config", 2, WAIT);
        assertEquals(ResultStatus.OK, mixed.stream().filter(r -> r.getTargetName().equals("u55-128-high-end-shared"))
            .findFirst().orElseThrow().getStatus());
        CompileResult bogus = mixed.stream().filter(r -> r.getTargetName().equals("bogus")).findFirst().orElseThrow();
        assertEquals(ResultStatus.FAILED, bogus.getStatus());
        assertTrue(bogus.getError().contains("unknown accelerator configuration ethos-u99-1"), bogus.getError());
        String reason = new String(deadLetter("unknown-config").headers().lastHeader(CompileWorker.DLT_REASON).value(),
            StandardCharsets.UTF_8);
        assertTrue(reason.startsWith("targets bogus failed: "), reason);
    }

    @Test
    void internalCompilerErrorCarriesItsSignatureInTheResultAndTheDeadLetter() throws Exception {
        String modelUri = cluster.uploadModel("zoo/" + SimulatedCompiler.INTERNAL_ERROR + ".tflite",
            SimulatedCompiler.model("bug", 1024));
        cluster.submit(TestJobs.job("internal-error", modelUri, TestJobs.fiveTargets().subList(0, 2)));

        List<CompileResult> results = cluster.awaitResults("internal-error", 2, WAIT);

        String signature = "codegen/RESIZE_BILINEAR/IllegalArgumentException@ArenaPlacement";
        for (CompileResult result : results) {
            assertEquals(ResultStatus.FAILED, result.getStatus());
            assertEquals(signature, result.getFailureSignature());
            assertTrue(result.getError().startsWith("internal compiler error [" + signature + "]: "), result.getError());
        }
        ConsumerRecord<byte[], byte[]> dead = deadLetter("internal-error");
        assertEquals(signature, new String(dead.headers().lastHeader(CompileWorker.DLT_SIGNATURES).value(),
            StandardCharsets.UTF_8));
    }

    @Test
    void oversizedModelAndWrongDigestFailWithoutACompile() throws Exception {
        String big = cluster.uploadModel("zoo/big.tflite", SimulatedCompiler.model("big", (int) MODEL_LIMIT + 1));
        long before = worker.modelDownloads();
        cluster.submit(TestJobs.job("too-big", big, TestJobs.fiveTargets().subList(0, 1)));
        CompileResult tooBig = cluster.awaitResults("too-big", 1, WAIT).get(0);
        assertEquals(ResultStatus.FAILED, tooBig.getStatus());
        assertEquals("model s3://models/zoo/big.tflite is 65537 bytes, over the worker's limit of 65536 bytes",
            tooBig.getError());
        assertEquals(before, worker.modelDownloads(), "an oversized model is refused before it is downloaded");

        String small = cluster.uploadModel("zoo/small.tflite", SimulatedCompiler.model("small", 256));
        CompileJob wrongDigest = TestJobs.job("wrong-digest", small, TestJobs.fiveTargets().subList(0, 1));
        wrongDigest.setModelSha256("0".repeat(64));
        cluster.submit(wrongDigest);
        CompileResult mismatch = cluster.awaitResults("wrong-digest", 1, WAIT).get(0);
        assertEquals(ResultStatus.FAILED, mismatch.getStatus());
        assertTrue(mismatch.getError().endsWith("the job expects " + "0".repeat(64)), mismatch.getError());
    }

    @Test
    void jsonJobFromAScriptIsCompiled() throws Exception {
        String modelUri = cluster.uploadModel("zoo/json.tflite", SimulatedCompiler.model("json", 512));
        String json = "{\"jobId\":\"from-kcat\",\"modelUri\":\"" + modelUri + "\",\"outputPrefix\":\"s3://artifacts/kcat\","
            + "\"targets\":[{\"name\":\"u55\",\"accelerator\":\"ethos-u55-128\",\"systemConfig\":\"Ethos_U55_High_End_Embedded\","
            + "\"memoryMode\":\"Shared_Sram\",\"arenaCacheSize\":262144}]}";
        RecordHeaders headers = new RecordHeaders();
        headers.add(MessageCodec.CONTENT_TYPE, MessageCodec.JSON.getBytes(StandardCharsets.UTF_8));
        cluster.submitRaw("from-kcat".getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8), headers);

        List<CompileResult> results = cluster.awaitResults("from-kcat", 1, WAIT);

        assertEquals(1, results.size());
        assertEquals(ResultStatus.OK, results.get(0).getStatus());
        assertTrue(results.get(0).getArtifacts().get(ArtifactStore.REPORT_JSON).startsWith("s3://artifacts/kcat/from-kcat/u55/"));
    }

    @Test
    void submitCommandSendsAJobFromFlagsAndAnotherFromAJsonFile(@TempDir Path dir) throws Exception {
        String modelUri = cluster.uploadModel("zoo/cli.tflite", SimulatedCompiler.model("cli", 1024));
        int exit = new CommandLine(new SubmitCommand()).execute("--bootstrap-servers", cluster.kafka.bootstrapServers(),
            "--model", modelUri, "--output", "s3://artifacts/cli", "--job-id", "cli-flags",
            "--target", "ethos-u55-128:Ethos_U55_High_End_Embedded:Shared_Sram:Size:131072",
            "--target", "ethos-u65-256:Ethos_U65_High_End:Dedicated_Sram");
        assertEquals(0, exit);
        Path json = dir.resolve("job.json");
        Files.writeString(json, cluster.codec.toJson(TestJobs.job("cli-json", modelUri, TestJobs.fiveTargets())));
        assertEquals(0, new CommandLine(new SubmitCommand()).execute("--bootstrap-servers",
            cluster.kafka.bootstrapServers(), "--job", json.toString(), "--as-json"));

        List<CompileResult> flags = cluster.awaitResults("cli-flags", 2, WAIT);
        assertEquals(Set.of("ethos-u55-128-Ethos_U55_High_End_Embedded-Shared_Sram-Size-131072",
            "ethos-u65-256-Ethos_U65_High_End-Dedicated_Sram-Performance"),
            flags.stream().map(CompileResult::getTargetName).collect(Collectors.toSet()));
        assertEquals(5, cluster.awaitResults("cli-json", 5, WAIT).stream()
            .filter(r -> r.getStatus() == ResultStatus.OK).count());
    }

    private static ConsumerRecord<byte[], byte[]> deadLetter(String key) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> record : cluster.readCommitted(cluster.topics.deadLetters())) {
                if (record.key() != null && new String(record.key(), StandardCharsets.UTF_8).equals(key)) {
                    return record;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no dead letter with key " + key);
    }
}
