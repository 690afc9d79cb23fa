package npuc.worker.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import npuc.messages.CompileJob;
import npuc.messages.CompileResult;
import npuc.messages.ResultStatus;
import npuc.messages.Strategy;
import npuc.worker.JobRequest;
import npuc.worker.TestJobs;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class MessageCodecTest {
    private final MessageCodec codec = new MessageCodec();
    private static final Instant NOW = Instant.ofEpochMilli(1_750_000_000_000L);

    @Test
    void jobWrittenWithVersionOneSchemaResolvesWithDefaultsForNewFields() throws Exception {
        Schema v1;
        try (InputStream in = getClass().getResourceAsStream("/schemas/CompileJob-v1.avsc")) {
            v1 = new Schema.Parser().parse(in);
        }
        Schema targetSchema = v1.getField("targets").schema().getElementType();
        GenericRecord target = new GenericData.Record(targetSchema);
        target.put("name", "u55");
        target.put("accelerator", "ethos-u55-128");
        target.put("systemConfig", "Ethos_U55_High_End_Embedded");
        target.put("memoryMode", "Shared_Sram");
        target.put("strategy", new GenericData.EnumSymbol(targetSchema.getField("strategy").schema(), "Size"));
        GenericRecord job = new GenericData.Record(v1);
        job.put("jobId", "old-1");
        job.put("modelUri", "s3://models/a.tflite");
        job.put("outputPrefix", "s3://out/x");
        job.put("targets", List.of(target));
        job.put("submittedAt", 1_700_000_000_123L);
        ByteBuffer encoded = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(job);
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);

        CompileJob decoded = codec.decodeJob(bytes, new RecordHeaders(), NOW);

        assertEquals("old-1", decoded.getJobId());
        assertEquals(Instant.ofEpochMilli(1_700_000_000_123L), decoded.getSubmittedAt());
        assertNull(decoded.getModelSha256());
        assertNull(decoded.getConfigFile());
        assertEquals(1, decoded.getTargets().size());
        assertEquals(Strategy.Size, decoded.getTargets().get(0).getStrategy());
        assertNull(decoded.getTargets().get(0).getArenaCacheSize());
        assertEquals(Map.of(), decoded.getTargets().get(0).getExtraOptions());
    }

    @Test
    void currentJobRoundTripsThroughAvroAndJson() throws Exception {
        CompileJob job = TestJobs.job("round-trip", "s3://models/m.tflite", TestJobs.fiveTargets());
        job.setConfigFile("[System_Config.Mine]\ncore_clock=1e9\n");
        job.getTargets().get(0).setExtraOptions(Map.of("recursion-limit", "2000"));
        job.getTargets().get(1).setArenaCacheSize(393216L);

        assertEquals(job, codec.decodeJob(codec.encodeJob(job), new RecordHeaders(), NOW));
        assertEquals(job, codec.parseJobJson(codec.toJson(job), NOW));
    }

    @Test
    void jsonIsRecognisedByHeaderOrByItsBrace() throws Exception {
        String json = "  {\"jobId\":\"j\",\"modelUri\":\"s3://b/m.tflite\",\"outputPrefix\":\"s3://b/out\",\"targets\":[]}";
        RecordHeaders headers = new RecordHeaders();
        headers.add(MessageCodec.CONTENT_TYPE, "application/json; charset=utf-8".getBytes(StandardCharsets.UTF_8));

        assertEquals("j", codec.decodeJob(json.getBytes(StandardCharsets.UTF_8), headers, NOW).getJobId());
        CompileJob unflagged = codec.decodeJob(json.getBytes(StandardCharsets.UTF_8), new RecordHeaders(), NOW);
        assertEquals(NOW, unflagged.getSubmittedAt(), "a JSON job without submittedAt takes the record time");
    }

    @Test
    void malformedMessagesSayWhatIsWrong() {
        RecordHeaders none = new RecordHeaders();
        assertTrue(assertThrows(MalformedMessageException.class,
            () -> codec.decodeJob(new byte[] {1, 2, 3}, none, NOW)).getMessage().contains("nor JSON"));
        assertTrue(assertThrows(MalformedMessageException.class,
            () -> codec.decodeJob("{\"jobId\":1}".getBytes(StandardCharsets.UTF_8), none, NOW)).getMessage()
            .contains("targets"));
        assertTrue(assertThrows(MalformedMessageException.class,
            () -> codec.decodeJob("{\"jobId\":".getBytes(StandardCharsets.UTF_8), none, NOW)).getMessage()
            .startsWith("malformed JSON"));
    }

    @Test
    void jobsThatMakeNoSenseAreRejectedBeforeAnyWork() {
        CompileJob duplicate = TestJobs.job("dup", "s3://models/m.tflite",
            List.of(TestJobs.fiveTargets().get(0), TestJobs.fiveTargets().get(0)));
        assertTrue(assertThrows(MalformedMessageException.class, () -> JobRequest.from(duplicate)).getMessage()
            .contains("appears twice"));
        CompileJob badUri = TestJobs.job("bad-uri", "https://example/m.tflite", TestJobs.fiveTargets());
        assertTrue(assertThrows(MalformedMessageException.class, () -> JobRequest.from(badUri)).getMessage()
            .contains("not an s3:// URI"));
        CompileJob escaping = TestJobs.job("../etc", "s3://models/m.tflite", TestJobs.fiveTargets());
        assertThrows(MalformedMessageException.class, () -> JobRequest.from(escaping));
    }

    @Test
    void resultRoundTrips() throws Exception {
        CompileResult result = CompileResult.newBuilder()
            .setJobId("j").setTargetName("t").setStatus(ResultStatus.FAILED).setError("does not fit")
            .setModelUri("s3://b/m.tflite").setModelSha256(null).setArtifacts(Map.of())
            .setMetrics(Map.of("cycles_total", "123")).setCompileMillis(7).setWorkerId("w").setNpucVersion("dev")
            .setFinishedAt(NOW).build();
        assertEquals(result, codec.decodeResult(codec.encodeResult(result)));
    }
}
