package npuc.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import npuc.SharedData;
import npuc.messages.CompileResult;
import npuc.messages.ResultStatus;
import npuc.tflite.ModelBuilder;
import npuc.worker.codec.MessageCodec;
import npuc.worker.ops.OpsHttpServer;
import npuc.worker.ops.OpsSettings;
import npuc.worker.ops.PrometheusText;
import npuc.worker.storage.ObjectStorage;
import npuc.worker.storage.S3Location;
import npuc.worker.storage.S3Settings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The worker against the Kafka and MinIO images of docker-compose.yml, run by Docker: a real model
 * compiled for the five standard targets end to end, with readiness and the job counters checked over
 * HTTP. Where Docker is absent the class is reported as skipped; the embedded-broker tests cover the same
 * paths without it and are the ones CI relies on.
 */
@Testcontainers(disabledWithoutDocker = true)
class ComposeImagesTest {
    private static final Duration WAIT = Duration.ofMinutes(3);
    private static KafkaContainer kafka;
    private static MinIOContainer minio;
    private static ObjectStorage storage;

    /** A service of docker-compose.yml, as parsed. */
    private static JsonNode service(String name) throws Exception {
        return new YAMLMapper().readTree(SharedData.repositoryRoot().resolve("docker-compose.yml").toFile())
            .at("/services/" + name);
    }

    @BeforeAll
    static void startImages() throws Exception {
        JsonNode minioService = service("minio");
        String user = minioService.at("/environment/MINIO_ROOT_USER").asText();
        String password = minioService.at("/environment/MINIO_ROOT_PASSWORD").asText();
        kafka = new KafkaContainer(DockerImageName.parse(service("kafka").get("image").asText()));
        minio = new MinIOContainer(DockerImageName.parse(minioService.get("image").asText()))
            .withUserName(user).withPassword(password);
        kafka.start();
        minio.start();
        storage = new ObjectStorage(S3Settings.forEndpoint(URI.create(minio.getS3URL()), user, password).buildClient());
        storage.ensureBucket("models");
        storage.ensureBucket(OpsSettings.DEFAULT_PROBE_BUCKET);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBootstrapServers()))) {
            List<NewTopic> topics = new ArrayList<>();
            for (String topic : Topics.DEFAULT.all()) {
                topics.add(new NewTopic(topic, 2, (short) 1));
            }
            admin.createTopics(topics).all().get();
        }
    }

    @AfterAll
    static void stopImages() {
        if (storage != null) {
            storage.close();
        }
        if (minio != null) {
            minio.stop();
        }
        if (kafka != null) {
            kafka.stop();
        }
    }

    @Test
    void aSweepOverTheComposeImagesCompilesEveryTargetAndMovesTheJobCounter() throws Exception {
        S3Location model = new S3Location("models", "compose/kws.tflite");
        storage.write(model, ModelBuilder.keywordSpotting().toBytes(), "application/octet-stream");
        WorkerSettings settings = WorkerSettings.defaults(kafka.getBootstrapServers(), "compose-test")
            .withShutdownGrace(Duration.ofSeconds(5));
        OpsSettings ops = OpsSettings.defaults().withHttpPort(0).withProbe(OpsSettings.DEFAULT_PROBE_BUCKET,
            Duration.ofSeconds(1));
        try (WorkerService service = new WorkerService(settings, ops, new PipelineCompiler(), storage)) {
            int port = service.httpPort().orElseThrow();
            service.start();
            assertEquals(200, WorkerServiceTest.awaitStatus(port, OpsHttpServer.READY_PATH, 200).statusCode());

            submit(TestJobs.job("compose-kws", model.toString(), TestJobs.fiveTargets()));
            List<CompileResult> results = awaitResults("compose-kws", 5);

            assertEquals(5, results.stream().filter(r -> r.getStatus() == ResultStatus.OK).count(), results.toString());
            for (CompileResult result : results) {
                String summary = result.getArtifacts().get(ArtifactStore.SUMMARY_CSV);
                assertTrue(storage.info(S3Location.parse(summary)).size() > 0, summary);
            }
            PrometheusText metrics = WorkerServiceTest.scrapeUntil(port,
                m -> m.value("npuc_jobs_total", "status", "ok") == 1);
            assertEquals(1, metrics.value("npuc_jobs_total", "status", "ok"));
            assertEquals(5, metrics.value("npuc_targets_total", "status", "ok"));
        }
    }

    private static void submit(npuc.messages.CompileJob job) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            producer.send(new ProducerRecord<>(Topics.DEFAULT.jobs(), job.getJobId().getBytes(StandardCharsets.UTF_8),
                new MessageCodec().encodeJob(job))).get();
        }
    }

    private static List<CompileResult> awaitResults(String jobId, int count) throws Exception {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "compose-test-results");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        MessageCodec codec = new MessageCodec();
        List<CompileResult> results = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(Topics.DEFAULT.results()));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (results.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    CompileResult result = codec.decodeResult(record.value());
                    if (result.getJobId().equals(jobId)) {
                        results.add(result);
                    }
                }
            }
        }
        return results;
    }
}
