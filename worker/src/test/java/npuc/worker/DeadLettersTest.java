package npuc.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import npuc.embedded.EmbeddedS3Endpoint;
import npuc.messages.CompileResult;
import npuc.messages.ResultStatus;
import npuc.worker.storage.ObjectStorage;
import npuc.worker.storage.S3Location;
import npuc.worker.storage.S3Settings;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A dead letter stays small whatever the job: reasons cut with a count, the full report and large messages in S3. */
class DeadLettersTest {
    private static final S3Location REPORTS = S3Location.parse("s3://artifacts/dead-letters");
    private static EmbeddedS3Endpoint s3;
    private static ObjectStorage storage;

    @BeforeAll
    static void startStore() throws Exception {
        s3 = EmbeddedS3Endpoint.start();
        storage = new ObjectStorage(S3Settings.forEndpoint(s3.endpoint(), EmbeddedS3Endpoint.ACCESS_KEY,
            EmbeddedS3Endpoint.SECRET_KEY).buildClient());
        storage.ensureBucket("artifacts");
    }

    @AfterAll
    static void stopStore() {
        storage.close();
        s3.close();
    }

    private static CompileResult result(String target, ResultStatus status, String error) {
        return CompileResult.newBuilder().setJobId("j").setTargetName(target).setStatus(status).setError(error)
            .setModelUri("s3://models/m.tflite").setModelSha256(null).setArtifacts(Map.of()).setMetrics(Map.of())
            .setCompileMillis(1).setWorkerId("w").setNpucVersion("dev").setFinishedAt(Instant.EPOCH).build();
    }

    private static ConsumerRecord<byte[], byte[]> record(long offset, byte[] value) {
        return new ConsumerRecord<>("npuc.jobs", 3, offset, "j".getBytes(StandardCharsets.UTF_8), value);
    }

    @Test
    void aSweepOfTenThousandDistinctFailuresKeepsAFewKilobytesOfReasonAndPutsTheRestInTheReport() throws Exception {
        List<CompileResult> results = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            results.add(result("arena-" + i, ResultStatus.FAILED, "arena of " + (i + 1) * 1024 + " bytes: does not fit, "
                + "it needs " + (300_000 + i) + " bytes of SRAM"));
        }
        results.add(result("fits", ResultStatus.OK, null));
        DeadLetters letters = new DeadLetters(storage, REPORTS, 1_048_576);

        DeadLetter letter = letters.of(record(42, new byte[100]), "j", results).orElseThrow();

        assertTrue(letter.reason().length() < DeadLetters.NAMES_CHARS + DeadLetters.ERRORS_CHARS + 500,
            letter.reason().length() + " characters");
        assertTrue(letter.reason().startsWith("targets arena-0, arena-1, "), letter.reason());
        assertTrue(letter.reason().matches("(?s).*and \\d+ more targets failed: .*"), letter.reason());
        assertTrue(letter.reason().matches("(?s).*; and \\d+ more distinct errors \\(full report: "
            + "s3://artifacts/dead-letters/npuc.jobs-3-42/report.json\\)"), letter.reason());
        assertEquals(Optional.of(S3Location.parse("s3://artifacts/dead-letters/npuc.jobs-3-42/report.json")),
            letter.report());
        assertEquals(Optional.empty(), letter.message());
        JsonNode report = new ObjectMapper().readTree(storage.read(letter.report().get(), 16 << 20));
        assertEquals(10_000, report.get("failed").asInt());
        assertEquals(10_001, report.get("targets").asInt());
        assertEquals("arena-9999", report.get("failed_targets").get(9999).get("target").asText());
    }

    @Test
    void aMessageTooLargeToTravelBesideItsHeadersGoesToTheStore() throws Exception {
        byte[] garbage = new byte[1_048_000];
        new java.util.Random(2).nextBytes(garbage);
        DeadLetters letters = new DeadLetters(storage, REPORTS, 1_048_576);

        DeadLetter letter = letters.of(record(7, garbage), "j",
            List.of(result("", ResultStatus.INVALID, "malformed job message: unknown schema"))).orElseThrow();

        assertEquals("malformed job message: unknown schema", letter.reason());
        assertEquals(Optional.empty(), letter.report(), "nothing was cut from the reason");
        S3Location message = letter.message().orElseThrow();
        assertEquals("s3://artifacts/dead-letters/npuc.jobs-3-7/message", message.toString());
        assertArrayEquals(garbage, storage.read(message, 2 << 20));
    }

    @Test
    void aJobWhoseTargetsAllSucceedHasNoDeadLetterAndOneFailureIsSaidWhole() throws Exception {
        DeadLetters letters = new DeadLetters(storage, REPORTS, 1_048_576);
        assertEquals(Optional.empty(), letters.of(record(1, new byte[10]), "j",
            List.of(result("a", ResultStatus.OK, null))));
        DeadLetter one = letters.of(record(2, new byte[10]), "j", List.of(result("a", ResultStatus.OK, null),
            result("b", ResultStatus.FAILED, "unknown accelerator"))).orElseThrow();
        assertEquals("targets b failed: unknown accelerator", one.reason());
        assertEquals(Optional.empty(), one.report());
    }
}
