package npuc.worker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import io.github.resilience4j.core.IntervalFunction;
import npuc.messages.CompileResult;
import npuc.worker.codec.MessageCodec;
import npuc.worker.ops.WorkerMetrics;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes finished jobs: their results and dead letters, and the offsets after them, in one Kafka
 * transaction, so a job's results are committed exactly when its offset is. A transaction that fails is
 * aborted (or the producer replaced when it cannot abort); nothing is retried until a backoff has passed, and
 * the jobs stay finished, to go out in the next transaction. A dead letter the broker refuses as too large is
 * sent again cut to its headers, with the source offset of the original message.
 */
final class ResultPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ResultPublisher.class);
    /** Characters of the reason a dead letter keeps when the broker refused it whole. */
    static final int COMPACT_REASON_CHARS = 1024;

    /** What one attempt to publish came to. */
    sealed interface Publication {
    }

    record Committed(int jobs, int results) implements Publication {
    }

    record Failed(KafkaException cause) implements Publication {
    }

    private final WorkerSettings settings;
    private final MessageCodec codec;
    private final WorkerMetrics metrics;
    private final Function<Properties, Producer<byte[], byte[]>> producers;
    private final IntervalFunction backoff =
        IntervalFunction.ofExponentialBackoff(Duration.ofMillis(200), 2.0, Duration.ofSeconds(30));
    // Read by the metrics scrape (send retries) as well as the loop.
    private volatile Producer<byte[], byte[]> producer;
    private final AtomicLong retiredSendRetries = new AtomicLong();
    private final Set<String> compactDeadLetters = new HashSet<>();
    private int failures;
    private long nextAttemptNanos = System.nanoTime();
    private volatile String fault;

    ResultPublisher(WorkerSettings settings, MessageCodec codec, WorkerMetrics metrics) {
        this(settings, codec, metrics, KafkaProducer::new);
    }

    ResultPublisher(WorkerSettings settings, MessageCodec codec, WorkerMetrics metrics,
            Function<Properties, Producer<byte[], byte[]>> producers) {
        this.settings = settings;
        this.codec = codec;
        this.metrics = metrics;
        this.producers = producers;
    }

    /** The producer properties: transactional, with the worker's id, bounded waits, the user's client settings. */
    Properties producerProperties() {
        Properties props = new Properties();
        // A transaction left open by a worker killed mid-commit blocks the next owner's reads until it times out.
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "20000");
        // A broker that does not answer must not hold the consume loop for the default minute.
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        props.putAll(settings.kafkaProperties());
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "npuc-" + settings.workerId() + "-results");
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "npuc-worker-" + settings.workerId());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }

    /** The largest record the producer may send. */
    long maxRecordBytes() {
        Object configured = producerProperties().get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        return configured == null ? 1_048_576 : Long.parseLong(configured.toString().trim());
    }

    /**
     * Makes the transactional producer when there is none and the backoff has passed; fences any earlier
     * producer with this worker's id and aborts what it left open.
     */
    void ensureProducer() {
        if (producer != null || System.nanoTime() - nextAttemptNanos < 0) {
            return;
        }
        Producer<byte[], byte[]> created = null;
        try {
            created = producers.apply(producerProperties());
            created.initTransactions();
            producer = created;
        } catch (ProducerFencedException e) {
            throw e;
        } catch (KafkaException e) {
            if (created != null) {
                created.close(Duration.ZERO);
            }
            failed("cannot start a transactional producer: " + e.getMessage());
        }
    }

    /** Ready to publish: a producer, and no backoff running. */
    boolean ready() {
        return producer != null && System.nanoTime() - nextAttemptNanos >= 0;
    }

    /**
     * Nothing waits to be published and the backoff has passed: the fault is let go, so the worker takes jobs
     * again; the next transaction shows whether Kafka works.
     */
    void idle() {
        if (ready()) {
            fault = null;
        }
    }

    /** Why publishing does not work now, while it does not. */
    Optional<String> fault() {
        return Optional.ofNullable(fault);
    }

    /** Publishes the ready jobs in one transaction with their offsets. */
    Publication publish(InFlightJobs.Ready ready, ConsumerGroupMetadata group) {
        List<Future<RecordMetadata>> deadLetters = new ArrayList<>();
        List<String> deadLetterSources = new ArrayList<>();
        int results = 0;
        try {
            producer.beginTransaction();
            for (InFlightJobs.Job job : ready.all()) {
                JobReport report = job.report();
                byte[] key = report.jobId().getBytes(StandardCharsets.UTF_8);
                for (CompileResult result : report.results()) {
                    RecordHeaders headers = new RecordHeaders();
                    headers.add(MessageCodec.CONTENT_TYPE, MessageCodec.AVRO.getBytes(StandardCharsets.UTF_8));
                    producer.send(new ProducerRecord<>(settings.topics().results(), null, key,
                        codec.encodeResult(result), headers));
                    results++;
                }
                if (report.deadLetter().isPresent()) {
                    String source = source(job.record());
                    deadLetters.add(producer.send(deadLetter(job.record(), report.jobId(), report.deadLetter().get(),
                        compactDeadLetters.contains(source))));
                    deadLetterSources.add(source);
                }
            }
            producer.sendOffsetsToTransaction(Map.copyOf(ready.offsets()), group);
            producer.commitTransaction();
        } catch (ProducerFencedException | FencedInstanceIdException e) {
            throw e;
        } catch (KafkaException e) {
            for (int i = 0; i < deadLetters.size(); i++) {
                if (tooLarge(deadLetters.get(i))) {
                    LOG.warn("the dead letter of {} is too large for the broker; it is sent again without the message",
                        deadLetterSources.get(i));
                    compactDeadLetters.add(deadLetterSources.get(i));
                }
            }
            abort(e);
            return new Failed(e);
        }
        deadLetterSources.forEach(compactDeadLetters::remove);
        failures = 0;
        fault = null;
        return new Committed(ready.all().size(), results);
    }

    private static boolean tooLarge(Future<RecordMetadata> send) {
        if (!send.isDone()) {
            return false;
        }
        try {
            send.get();
            return false;
        } catch (ExecutionException e) {
            return e.getCause() instanceof RecordTooLargeException;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** After a failed transaction: abort it, or give up the producer when it cannot abort; back off either way. */
    private void abort(KafkaException cause) {
        try {
            producer.abortTransaction();
        } catch (ProducerFencedException e) {
            throw e;
        } catch (KafkaException e) {
            LOG.warn("abort failed ({}); replacing the producer", e.toString());
            retire();
        }
        failed("publishing failed: " + cause.getMessage());
    }

    private void failed(String why) {
        failures++;
        fault = why;
        metrics.transactionRetried();
        nextAttemptNanos = System.nanoTime() + backoff.apply(failures) * 1_000_000;
        LOG.warn("{}; retrying in {} ms", why, backoff.apply(failures));
    }

    private void retire() {
        Producer<byte[], byte[]> old = producer;
        producer = null;
        retiredSendRetries.addAndGet(sendRetries(old));
        old.close(Duration.ZERO);
    }

    static String source(ConsumerRecord<byte[], byte[]> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    /**
     * The dead-letter record: the original message and headers, untouched so the job can be replayed once its
     * cause is fixed, unless the message went to the store or the broker refused it whole; then the headers only.
     */
    private ProducerRecord<byte[], byte[]> deadLetter(ConsumerRecord<byte[], byte[]> source, String jobId,
            DeadLetter letter, boolean compact) {
        RecordHeaders headers = new RecordHeaders();
        boolean withMessage = !compact && letter.message().isEmpty();
        if (withMessage) {
            for (Header header : source.headers()) {
                headers.add(header);
            }
        }
        String reason = compact && letter.reason().length() > COMPACT_REASON_CHARS
            ? letter.reason().substring(0, COMPACT_REASON_CHARS) + "..." : letter.reason();
        add(headers, CompileWorker.DLT_REASON, reason);
        add(headers, CompileWorker.DLT_SOURCE, source(source));
        add(headers, CompileWorker.DLT_JOB_ID, jobId);
        if (!letter.signatures().isEmpty() && !compact) {
            add(headers, CompileWorker.DLT_SIGNATURES, letter.signatures());
        }
        letter.report().ifPresent(report -> add(headers, CompileWorker.DLT_REPORT, report.toString()));
        letter.message().ifPresent(message -> add(headers, CompileWorker.DLT_MESSAGE, message.toString()));
        return new ProducerRecord<>(settings.topics().deadLetters(), null, source.key(),
            withMessage ? source.value() : new byte[0], headers);
    }

    private static void add(RecordHeaders headers, String key, String value) {
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Send retries of every producer this worker has had: the current one's counter plus the replaced ones'. */
    double sendRetries() {
        Producer<byte[], byte[]> current = producer;
        return retiredSendRetries.get() + (current == null ? 0 : sendRetries(current));
    }

    private static long sendRetries(Producer<byte[], byte[]> producer) {
        try {
            for (Map.Entry<MetricName, ? extends Metric> metric : producer.metrics().entrySet()) {
                if (metric.getKey().name().equals("record-retry-total")
                        && metric.getKey().group().equals("producer-metrics")
                        && metric.getValue().metricValue() instanceof Number total) {
                    return total.longValue();
                }
            }
        } catch (RuntimeException e) {
            // A producer being closed may refuse; the count is reported again at the next scrape.
        }
        return 0;
    }

    @Override
    public void close() {
        Producer<byte[], byte[]> current = producer;
        if (current != null) {
            try {
                current.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.warn("closing the producer: {}", e.toString());
            }
        }
    }
}
