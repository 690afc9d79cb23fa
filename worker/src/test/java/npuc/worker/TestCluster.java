package npuc.worker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;

import npuc.embedded.EmbeddedKafkaBroker;
import npuc.embedded.EmbeddedS3Endpoint;
import npuc.messages.CompileJob;
import npuc.messages.CompileResult;
import npuc.worker.codec.MalformedMessageException;
import npuc.worker.codec.MessageCodec;
import npuc.worker.storage.ObjectStorage;
import npuc.worker.storage.S3Location;
import npuc.worker.storage.S3Settings;
import npuc.worker.storage.StorageException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** A real broker and a real S3 endpoint for one test class, with the topics and buckets the worker uses. */
final class TestCluster implements AutoCloseable {
    final EmbeddedKafkaBroker kafka;
    final EmbeddedS3Endpoint s3;
    final ObjectStorage storage;
    final MessageCodec codec = new MessageCodec();
    static final String ARTIFACTS_BUCKET = "artifacts";
    final Topics topics = Topics.DEFAULT;
    private final KafkaProducer<byte[], byte[]> submitter;

    TestCluster(int jobPartitions) throws StorageException {
        kafka = EmbeddedKafkaBroker.start();
        s3 = EmbeddedS3Endpoint.start();
        storage = new ObjectStorage(s3Settings().buildClient(), 3, Duration.ofMillis(50));
        storage.ensureBucket("models");
        storage.ensureBucket(ARTIFACTS_BUCKET);
        kafka.createTopics(jobPartitions, List.of(topics.jobs()));
        kafka.createTopics(1, List.of(topics.results(), topics.deadLetters()));
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        submitter = new KafkaProducer<>(props);
    }

    S3Settings s3Settings() {
        return S3Settings.forEndpoint(s3.endpoint(), EmbeddedS3Endpoint.ACCESS_KEY, EmbeddedS3Endpoint.SECRET_KEY);
    }

    WorkerSettings workerSettings(String workerId) {
        return WorkerSettings.defaults(kafka.bootstrapServers(), workerId)
            .withConcurrency(2, 4)
            .withShutdownGrace(Duration.ofSeconds(5));
    }

    String uploadModel(String key, byte[] bytes) throws StorageException {
        S3Location location = new S3Location("models", key);
        storage.write(location, bytes, "application/octet-stream");
        return location.toString();
    }

    void submit(CompileJob job) throws Exception {
        submitRaw(job.getJobId().getBytes(StandardCharsets.UTF_8), codec.encodeJob(job), new RecordHeaders());
    }

    void submitRaw(byte[] key, byte[] value, RecordHeaders headers) throws Exception {
        submitter.send(new ProducerRecord<>(topics.jobs(), null, key, value, headers)).get();
    }

    /** A jobs topic of its own for one test, beside the shared results and dead-letter topics. */
    Topics ownJobsTopic(String name, int partitions) {
        kafka.createTopics(partitions, List.of(name));
        return new Topics(name, topics.results(), topics.deadLetters());
    }

    /** Sends a raw message to a jobs topic, to a given partition or (null) the key's. */
    void submitTo(String topic, Integer partition, byte[] key, byte[] value) throws Exception {
        submitter.send(new ProducerRecord<>(topic, partition, key, value, new RecordHeaders())).get();
    }

    /** Sends a job to a jobs topic, to a given partition or (null) the key's. */
    void submitTo(String topic, Integer partition, CompileJob job) throws Exception {
        submitTo(topic, partition, job.getJobId().getBytes(StandardCharsets.UTF_8), codec.encodeJob(job));
    }

    /** Every committed record of a topic, from its beginning. */
    List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
        }
        return records;
    }

    List<CompileResult> results(Predicate<CompileResult> filter) throws MalformedMessageException {
        List<CompileResult> results = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : readCommitted(topics.results())) {
            CompileResult result = codec.decodeResult(record.value());
            if (filter.test(result)) {
                results.add(result);
            }
        }
        return results;
    }

    /** Waits until at least {@code count} results of a job are committed, and returns them all. */
    List<CompileResult> awaitResults(String jobId, int count, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<CompileResult> results = results(r -> r.getJobId().equals(jobId));
        while (results.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(200);
            results = results(r -> r.getJobId().equals(jobId));
        }
        return results;
    }

    @Override
    public void close() {
        submitter.close(Duration.ofSeconds(2));
        storage.close();
        s3.close();
        kafka.close();
    }
}
