package npuc.worker.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;

import npuc.messages.CompileJob;
import npuc.worker.TestJobs;
import org.apache.avro.SchemaNormalization;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * Job messages whose length fields lie are refused before the decoder allocates for them, with a reason; the
 * limits on a message's size and its targets hold for Avro and JSON alike.
 */
class BoundedDecodingTest {
    private static final Instant NOW = Instant.ofEpochMilli(1_750_000_000_000L);
    private static final RecordHeaders NONE = new RecordHeaders();
    private final MessageCodec codec = new MessageCodec(new MessageLimits(64 * 1024, 50));

    /** A single-object message of the current job schema whose body the caller writes. */
    private static ByteArrayOutputStream header() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xC3);
        out.write(0x01);
        long fingerprint = SchemaNormalization.parsingFingerprint64(CompileJob.getClassSchema());
        for (int i = 0; i < 8; i++) {
            out.write((int) (fingerprint >>> (8 * i)));
        }
        return out;
    }

    private static void varint(ByteArrayOutputStream out, long n) {
        long z = (n << 1) ^ (n >> 63);
        while ((z & ~0x7FL) != 0) {
            out.write((int) ((z & 0x7F) | 0x80));
            z >>>= 7;
        }
        out.write((int) z);
    }

    private static void string(ByteArrayOutputStream out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        varint(out, bytes.length);
        out.writeBytes(bytes);
    }

    private String refusal(byte[] message) {
        return assertThrows(MalformedMessageException.class, () -> codec.decodeJob(message, NONE, NOW)).getMessage();
    }

    @Test
    void anArrayCountOfTwoBillionInSixtySevenBytesIsRefusedWithoutAllocating() {
        ByteArrayOutputStream out = header();
        string(out, "poison");
        string(out, "s3://models/kws.tflite");
        varint(out, 0);
        string(out, "s3://artifacts/runs");
        varint(out, 2_000_000_000L);
        out.write(0);
        byte[] poison = out.toByteArray();
        assertEquals(67, poison.length);

        assertEquals("corrupt Avro message: field targets: 2000000000 items, more than the 1 bytes left can hold "
            + "(at byte 66 of 67)", refusal(poison));
    }

    @Test
    void aStringLongerThanTheMessageIsRefused() {
        ByteArrayOutputStream out = header();
        varint(out, Integer.MAX_VALUE);
        out.writeBytes("abc".getBytes(StandardCharsets.UTF_8));

        assertTrue(refusal(out.toByteArray()).startsWith("corrupt Avro message: field jobId: a length of 2147483647 "
            + "with 3 bytes left"), refusal(out.toByteArray()));
    }

    @Test
    void aMessageCutShortOrAnIndexOutOfRangeIsRefused() {
        byte[] whole = codec.encodeJob(TestJobs.job("cut", "s3://models/m.tflite", TestJobs.fiveTargets()));
        assertTrue(refusal(Arrays.copyOf(whole, whole.length - 7)).contains("the message ends early"));

        ByteArrayOutputStream out = header();
        string(out, "j");
        string(out, "s3://models/m.tflite");
        varint(out, 5);
        assertTrue(refusal(out.toByteArray()).startsWith("corrupt Avro message: field modelSha256: index 5 of 2 choices"));
    }

    @Test
    void moreTargetsThanTheLimitAreRefusedBeforeDecodingInAvroAndAfterParsingInJson() {
        CompileJob job = TestJobs.job("sweep", "s3://models/m.tflite", TestJobs.arenaSweep(51));

        assertEquals("the job lists 51 targets, more than the worker's limit of 50", refusal(codec.encodeJob(job)));
        assertEquals("the job lists 51 targets, more than the worker's limit of 50",
            refusal(codec.toJson(job).getBytes(StandardCharsets.UTF_8)));
        CompileJob fifty = TestJobs.job("sweep", "s3://models/m.tflite", TestJobs.arenaSweep(50));
        assertEquals(50, assertDecodes(codec.encodeJob(fifty)).getTargets().size());
    }

    @Test
    void aMessageOverTheSizeLimitIsRefusedUnread() {
        byte[] big = new byte[64 * 1024 + 1];
        big[0] = '{';
        assertEquals("a message of 65537 bytes, over the worker's limit of 65536 bytes", refusal(big));
    }

    @Test
    void randomBytesBehindAValidHeaderAreRefusedOrDecodedButNeverThrowAnythingElse() {
        Random random = new Random(14);
        MessageCodec roomy = new MessageCodec();
        for (int i = 0; i < 2000; i++) {
            ByteArrayOutputStream out = header();
            byte[] body = new byte[random.nextInt(200)];
            random.nextBytes(body);
            out.writeBytes(body);
            byte[] message = out.toByteArray();
            try {
                roomy.decodeJob(message, NONE, NOW);
            } catch (MalformedMessageException e) {
                assertTrue(e.getMessage() != null && !e.getMessage().isEmpty());
            }
        }
    }

    private CompileJob assertDecodes(byte[] message) {
        try {
            return codec.decodeJob(message, NONE, NOW);
        } catch (MalformedMessageException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }
}
