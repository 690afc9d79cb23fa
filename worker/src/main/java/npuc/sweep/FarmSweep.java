package npuc.sweep;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import npuc.BadInputException;
import npuc.messages.CompileJob;
import npuc.messages.CompileResult;
import npuc.messages.CompileTarget;
import npuc.messages.ResultStatus;
import npuc.messages.Strategy;
import npuc.worker.ArtifactStore;
import npuc.worker.codec.MalformedMessageException;
import npuc.worker.codec.MessageCodec;
import npuc.worker.ModelBytes;
import npuc.worker.storage.ObjectStorage;
import npuc.worker.storage.S3Location;
import npuc.worker.storage.StorageException;
import npuc.worker.TargetSpec;
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

/**
 * Runs a sweep on the farm: uploads local models, submits one job per model × target (its arena sizes are
 * the job's targets), and gathers the results from the results topic, committed ones only, by job id,
 * until every point has one or the time is up. The results topic is read from where it ended before the
 * first job went out, so other sweeps' and earlier runs' results are never taken for this one's.
 */
public final class FarmSweep {
    /** A job's targets are compiled by one worker: a long size list is split over several jobs. */
    static final int MAX_TARGETS_PER_JOB = 256;

    /**
     * @param kafka client properties (bootstrap servers, security) for the producer and the consumer
     * @param modelPrefix where local model files are uploaded for the workers
     * @param outputPrefix where the workers put the artifacts
     * @param sweepId unique to this run; prefixes its job ids
     */
    public record Settings(Map<String, String> kafka, String jobsTopic, String resultsTopic, S3Location modelPrefix,
            S3Location outputPrefix, Duration timeout, String sweepId) {
    }

    private final Settings settings;
    private final ObjectStorage storage;
    private final MessageCodec codec = new MessageCodec();

    public FarmSweep(Settings settings, ObjectStorage storage) {
        this.settings = settings;
        this.storage = storage;
    }

    /** A submitted job's points by their target names. */
    private record Job(CompileJob message, Map<String, SweepPoint> points) {
    }

    /**
     * Submits the points and tells the listener of each result as it is committed.
     *
     * @return the points that had no result within the timeout
     */
    public List<SweepPoint> run(SweepPlan plan, List<SweepPoint> points, SweepListener listener)
            throws BadInputException, StorageException, InterruptedException, java.util.concurrent.ExecutionException {
        Map<String, S3Location> models = upload(points);
        List<Job> jobs = jobs(plan, points, models);
        Map<String, Job> byId = new HashMap<>();
        jobs.forEach(job -> byId.put(job.message().getJobId(), job));
        Map<SweepPoint, Boolean> waiting = new LinkedHashMap<>();
        points.forEach(p -> waiting.put(p, Boolean.TRUE));
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties())) {
            List<TopicPartition> partitions;
            try {
                partitions = consumer.partitionsFor(settings.resultsTopic(), Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                throw new BadInputException("cannot reach Kafka at "
                    + settings.kafka().get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG) + ": " + e.getMessage(), e);
            }
            if (partitions.isEmpty()) {
                throw new BadInputException("the results topic " + settings.resultsTopic() + " does not exist on "
                    + settings.kafka().get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            // Fix the start before submitting: position() resolves the seek now.
            partitions.forEach(consumer::position);
            submit(jobs, listener);
            long deadline = System.nanoTime() + settings.timeout().toNanos();
            while (!waiting.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(250))) {
                    gather(plan, record, byId, waiting, listener);
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException("sweep interrupted while waiting for results");
                }
            }
        }
        return List.copyOf(waiting.keySet());
    }

    /** Local model files go to the model prefix under their digest, so that a rerun names the same objects. */
    private Map<String, S3Location> upload(List<SweepPoint> points) throws BadInputException, StorageException {
        Map<String, S3Location> locations = new LinkedHashMap<>();
        for (SweepPoint p : points) {
            SweepModel model = p.model();
            if (locations.containsKey(model.name())) {
                continue;
            }
            if (model.object().isPresent()) {
                locations.put(model.name(), model.object().get());
            } else {
                ModelBytes bytes = ModelSource.read(model, () -> storage);
                S3Location key = settings.modelPrefix().resolve(bytes.sha256(), model.name() + ".tflite");
                storage.write(key, bytes.bytes(), "application/octet-stream");
                locations.put(model.name(), key);
            }
        }
        return locations;
    }

    private List<Job> jobs(SweepPlan plan, List<SweepPoint> points, Map<String, S3Location> models) {
        Map<List<String>, List<SweepPoint>> groups = new LinkedHashMap<>();
        for (SweepPoint p : points) {
            groups.computeIfAbsent(List.of(p.model().name(), p.target().device()), k -> new ArrayList<>()).add(p);
        }
        List<Job> jobs = new ArrayList<>();
        for (List<SweepPoint> group : groups.values()) {
            for (int from = 0; from < group.size(); from += MAX_TARGETS_PER_JOB) {
                List<SweepPoint> slice = group.subList(from, Math.min(group.size(), from + MAX_TARGETS_PER_JOB));
                Map<String, SweepPoint> byName = new LinkedHashMap<>();
                List<CompileTarget> targets = new ArrayList<>();
                for (SweepPoint p : slice) {
                    TargetSpec spec = plan.spec(p);
                    byName.put(spec.name(), p);
                    targets.add(CompileTarget.newBuilder()
                        .setName(spec.name())
                        .setAccelerator(spec.accelerator())
                        .setSystemConfig(spec.systemConfig())
                        .setMemoryMode(spec.memoryMode())
                        .setArenaCacheSize(spec.arenaCacheSize().getAsLong())
                        .setStrategy(Strategy.valueOf(spec.strategy().name()))
                        .setExtraOptions(new HashMap<>(spec.extraOptions()))
                        .build());
                }
                SweepModel model = slice.get(0).model();
                CompileJob job = CompileJob.newBuilder()
                    .setJobId(settings.sweepId() + "-" + (jobs.size() + 1))
                    .setModelUri(models.get(model.name()).toString())
                    .setModelSha256(model.sha256().orElse(null))
                    .setOutputPrefix(settings.outputPrefix().resolve(settings.sweepId()).toString())
                    .setTargets(targets)
                    .setConfigFile(plan.configFile().orElse(null))
                    .setSubmittedAt(Instant.now())
                    .build();
                jobs.add(new Job(job, byName));
            }
        }
        return jobs;
    }

    private void submit(List<Job> jobs, SweepListener listener)
            throws InterruptedException, java.util.concurrent.ExecutionException {
        Properties props = new Properties();
        props.putAll(settings.kafka());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (Job job : jobs) {
                RecordHeaders headers = new RecordHeaders();
                headers.add(MessageCodec.CONTENT_TYPE, MessageCodec.AVRO.getBytes(StandardCharsets.UTF_8));
                sent.add(producer.send(new ProducerRecord<>(settings.jobsTopic(), null,
                    job.message().getJobId().getBytes(StandardCharsets.UTF_8), codec.encodeJob(job.message()), headers)));
                job.points().values().forEach(listener::started);
            }
            for (java.util.concurrent.Future<?> f : sent) {
                f.get();
            }
        }
    }

    private void gather(SweepPlan plan, ConsumerRecord<byte[], byte[]> record, Map<String, Job> jobs,
            Map<SweepPoint, Boolean> waiting, SweepListener listener) {
        CompileResult result;
        try {
            result = codec.decodeResult(record.value());
        } catch (MalformedMessageException e) {
            return; // Not a result of ours: another producer's record on a shared topic.
        }
        Job job = jobs.get(result.getJobId());
        if (job == null) {
            return;
        }
        List<SweepPoint> hit = new ArrayList<>();
        SweepPoint point = job.points().get(result.getTargetName());
        if (point != null) {
            hit.add(point);
        } else if (result.getStatus() == ResultStatus.INVALID) {
            // A job refused as a whole answers once, for no target or for each: every point of it ends.
            hit.addAll(job.points().values());
        }
        for (SweepPoint p : hit) {
            if (waiting.remove(p) != null) {
                listener.finished(pointResult(plan, p, result), perLayer(plan, result));
            }
        }
    }

    private static PointResult pointResult(SweepPlan plan, SweepPoint point, CompileResult result) {
        String error = result.getStatus() == ResultStatus.OK ? null
            : result.getError() == null ? result.getStatus().name() : result.getError();
        return new PointResult(point.key(), result.getModelSha256() == null ? "" : result.getModelSha256(),
            plan.optionsText(), PointStatus.of(error), error == null ? "" : error,
            result.getFailureSignature() == null ? "" : result.getFailureSignature(),
            result.getStatus() == ResultStatus.OK ? result.getMetrics() : Map.of(), result.getCompileMillis(),
            result.getNpucVersion());
    }

    /** The per-layer table the worker stored, when the sweep keeps them. */
    private Optional<String> perLayer(SweepPlan plan, CompileResult result) {
        String uri = result.getArtifacts().get(ArtifactStore.PER_LAYER_CSV);
        if (!plan.perLayer() || uri == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new String(storage.read(S3Location.parse(uri), ModelSource.MAX_MODEL_BYTES),
                StandardCharsets.UTF_8));
        } catch (Exception e) {
            // The point's figures stand without its table; the diff says where a table is missing.
            return Optional.empty();
        }
    }

    private Properties consumerProperties() {
        Properties props = new Properties();
        props.putAll(settings.kafka());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return props;
    }
}
