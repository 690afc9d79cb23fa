package npuc.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

import npuc.messages.CompileResult;
import npuc.messages.ResultStatus;
import npuc.worker.codec.MessageCodec;
import npuc.worker.ops.WorkerMetrics;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** Publishing on Kafka's own test producer: what a transaction holds, and what a failed one leaves. */
class ResultPublisherTest {
    private static final TopicPartition JOBS = new TopicPartition("npuc.jobs", 0);
    private static final ConsumerGroupMetadata GROUP = new ConsumerGroupMetadata("npuc-workers");

    /** A producer that refuses dead letters with values larger than a limit, as a broker would. */
    private static final class Broker extends MockProducer<byte[], byte[]> {
        final int maxDeadLetterValue;
        final List<ProducerRecord<byte[], byte[]>> committed = new ArrayList<>();

        Broker(int maxDeadLetterValue) {
            super(true, null, new ByteArraySerializer(), new ByteArraySerializer());
            this.maxDeadLetterValue = maxDeadLetterValue;
        }

        @Override
        public void beginTransaction() {
            commitTransactionException = null;
            super.beginTransaction();
        }

        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
            if (record.topic().equals("npuc.jobs.dlt") && record.value().length > maxDeadLetterValue) {
                commitTransactionException = new KafkaException("Cannot execute transactional method because we are "
                    + "in an error state");
                return CompletableFuture.failedFuture(new RecordTooLargeException("too large"));
            }
            return super.send(record);
        }

        @Override
        public void commitTransaction() {
            List<ProducerRecord<byte[], byte[]>> pending = uncommittedRecords();
            super.commitTransaction();
            committed.addAll(pending);
        }
    }

    private final WorkerSettings settings = WorkerSettings.defaults("127.0.0.1:1", "w1");

    private static InFlightJobs.Ready ready(long offset, JobReport report, byte[] message) {
        InFlightJobs jobs = new InFlightJobs();
        JobRun run = JobRun.finished(new JobOutcome.Finished(report));
        jobs.add(new ConsumerRecord<>(JOBS.topic(), JOBS.partition(), offset, "j".getBytes(StandardCharsets.UTF_8),
            message), run);
        return jobs.ready();
    }

    private static JobReport failedReport() {
        CompileResult result = CompileResult.newBuilder().setJobId("j").setTargetName("t").setStatus(ResultStatus.FAILED)
            .setError("does not fit").setModelUri("s3://models/m.tflite").setModelSha256(null).setArtifacts(Map.of())
            .setMetrics(Map.of()).setCompileMillis(1).setWorkerId("w1").setNpucVersion("dev")
            .setFinishedAt(Instant.EPOCH).build();
        return new JobReport("j", List.of(result), Optional.of(new DeadLetter("targets t failed: does not fit", "",
            Optional.empty(), Optional.empty())));
    }

    @Test
    void aJobsResultsDeadLetterAndOffsetGoOutInOneTransaction() {
        Broker broker = new Broker(Integer.MAX_VALUE);
        ResultPublisher publisher = new ResultPublisher(settings, new MessageCodec(), new WorkerMetrics(), props -> broker);
        publisher.ensureProducer();

        ResultPublisher.Publication publication = publisher.publish(ready(41, failedReport(), new byte[] {1, 2}), GROUP);

        assertEquals(new ResultPublisher.Committed(1, 1), publication);
        assertEquals(List.of("npuc.results", "npuc.jobs.dlt"), broker.committed.stream().map(ProducerRecord::topic).toList());
        ProducerRecord<byte[], byte[]> dead = broker.committed.get(1);
        assertEquals("targets t failed: does not fit",
            new String(dead.headers().lastHeader(CompileWorker.DLT_REASON).value(), StandardCharsets.UTF_8));
        assertEquals("npuc.jobs-0@41",
            new String(dead.headers().lastHeader(CompileWorker.DLT_SOURCE).value(), StandardCharsets.UTF_8));
        assertEquals(Map.of("npuc-workers", Map.of(JOBS, new OffsetAndMetadata(42))),
            broker.consumerGroupOffsetsHistory().get(0));
        assertTrue(publisher.fault().isEmpty());
    }

    @Test
    void aDeadLetterTheBrokerRefusesAsTooLargeIsSentAgainWithoutTheMessageAfterABackoff() throws Exception {
        Broker broker = new Broker(1000);
        ResultPublisher publisher = new ResultPublisher(settings, new MessageCodec(), new WorkerMetrics(), props -> broker);
        publisher.ensureProducer();
        InFlightJobs.Ready ready = ready(7, failedReport(), new byte[5000]);

        assertInstanceOf(ResultPublisher.Failed.class, publisher.publish(ready, GROUP));
        assertTrue(broker.transactionAborted());
        assertTrue(publisher.fault().orElseThrow().startsWith("publishing failed: "), publisher.fault().toString());
        assertFalse(publisher.ready(), "a failed transaction is not retried at once");
        while (!publisher.ready()) {
            Thread.sleep(20);
        }

        assertEquals(new ResultPublisher.Committed(1, 1), publisher.publish(ready, GROUP));
        ProducerRecord<byte[], byte[]> dead = broker.committed.get(1);
        assertEquals(0, dead.value().length);
        assertEquals("npuc.jobs-0@7",
            new String(dead.headers().lastHeader(CompileWorker.DLT_SOURCE).value(), StandardCharsets.UTF_8));
        assertTrue(publisher.fault().isEmpty());
    }

    @Test
    void aProducerThatCannotStartIsTriedAgainAfterABackoffAndSaysWhy() {
        Broker broker = new Broker(Integer.MAX_VALUE);
        broker.initTransactionException = new org.apache.kafka.common.errors.TimeoutException("no coordinator");
        ResultPublisher publisher = new ResultPublisher(settings, new MessageCodec(), new WorkerMetrics(), props -> broker);

        publisher.ensureProducer();

        assertFalse(publisher.ready());
        assertEquals(Optional.of("cannot start a transactional producer: no coordinator"), publisher.fault());
    }

    @Test
    void theProducerIsTransactionalUnderTheWorkersIdWithBoundedWaits() {
        ResultPublisher publisher = new ResultPublisher(settings.withKafkaProperties(Map.of("max.request.size", "2097152")),
            new MessageCodec(), new WorkerMetrics());
        assertEquals("npuc-worker-w1", publisher.producerProperties().get("transactional.id"));
        assertEquals("20000", publisher.producerProperties().get("transaction.timeout.ms"));
        assertEquals(2_097_152, publisher.maxRecordBytes());
    }
}
