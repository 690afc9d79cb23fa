package npuc.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import npuc.embedded.EmbeddedKafkaBroker;
import npuc.embedded.EmbeddedS3Endpoint;
import npuc.messages.CompileJob;
import npuc.messages.CompileResult;
import npuc.messages.CompileTarget;
import npuc.messages.ResultStatus;
import npuc.worker.CompileWorker;
import npuc.worker.StandardTargets;
import npuc.worker.TargetCompiler;
import npuc.worker.Topics;
import npuc.worker.WorkerSettings;
import npuc.worker.codec.MalformedMessageException;
import npuc.worker.codec.MessageCodec;
import npuc.worker.storage.ObjectStorage;
import npuc.worker.storage.S3Location;
import npuc.worker.storage.S3Settings;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code npuc demo}: the whole service on one machine. Starts a Kafka broker and an S3 endpoint in this
 * process, uploads the models, submits one sweep job per model across the five standard targets, runs a
 * worker, and prints what came back.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run broker, object store and worker in-process and compile a sweep across the five standard targets.")
public final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--models", paramLabel = "DIR", description = "Compile every .tflite in DIR (default: the built-in models).")
    Path modelsDir;

    @Option(names = "--timeout-seconds", defaultValue = "600", description = "Give up waiting for results after this; default: ${DEFAULT-VALUE}.")
    long timeoutSeconds;

    private final TargetCompiler compiler;
    private Supplier<? extends Map<String, byte[]>> builtModels;

    public DemoCommand(TargetCompiler compiler) {
        this(compiler, null);
    }

    /** @param builtModels models by name, used when no --models directory is given */
    public DemoCommand(TargetCompiler compiler, Supplier<? extends Map<String, byte[]>> builtModels) {
        this.compiler = Objects.requireNonNull(compiler, "compiler");
        this.builtModels = builtModels;
    }

    public void setBuiltModels(Supplier<? extends Map<String, byte[]>> builtModels) {
        this.builtModels = builtModels;
    }

    private record Row(String model, String target, CompileResult result) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, byte[]> models = models();
        if (models.isEmpty()) {
            throw new ParameterException(spec.commandLine(),
                modelsDir != null ? "no .tflite models in " + modelsDir : "no models: give --models DIR");
        }
        Topics topics = Topics.DEFAULT;
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start();
             EmbeddedS3Endpoint s3 = EmbeddedS3Endpoint.start();
             ObjectStorage storage = new ObjectStorage(S3Settings.forEndpoint(s3.endpoint(),
                 EmbeddedS3Endpoint.ACCESS_KEY, EmbeddedS3Endpoint.SECRET_KEY).buildClient())) {
            kafka.createTopics(2, topics.all());
            storage.ensureBucket("models");
            storage.ensureBucket("artifacts");
            out.printf("demo: Kafka at %s, S3 at %s%n", kafka.bootstrapServers(), s3.endpoint());

            MessageCodec codec = new MessageCodec();
            List<CompileTarget> targets = StandardTargets.five();
            Map<String, String> modelByJob = new LinkedHashMap<>();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties(kafka))) {
                for (Map.Entry<String, byte[]> model : models.entrySet()) {
                    S3Location location = new S3Location("models", "demo/" + model.getKey() + ".tflite");
                    storage.write(location, model.getValue(), "application/octet-stream");
                    String jobId = "demo-" + safe(model.getKey());
                    CompileJob job = CompileJob.newBuilder()
                        .setJobId(jobId)
                        .setModelUri(location.toString())
                        .setModelSha256(null)
                        .setOutputPrefix("s3://artifacts/demo")
                        .setTargets(targets)
                        .setConfigFile(null)
                        .setSubmittedAt(Instant.now())
                        .build();
                    producer.send(new ProducerRecord<>(topics.jobs(), jobId.getBytes(StandardCharsets.UTF_8),
                        codec.encodeJob(job))).get();
                    modelByJob.put(jobId, model.getKey());
                }
            }
            int expected = models.size() * targets.size();
            out.printf("demo: submitted %d jobs, %d targets each%n", models.size(), targets.size());
            out.flush();

            WorkerSettings settings = WorkerSettings.defaults(kafka.bootstrapServers(), "demo")
                .withTopics(topics).withShutdownGrace(Duration.ofSeconds(5));
            Map<String, CompileResult> results;
            long startNanos = System.nanoTime();
            Duration elapsed;
            try (CompileWorker worker = new CompileWorker(settings, compiler, storage)) {
                worker.start();
                results = awaitResults(kafka, codec, topics, expected, Duration.ofSeconds(timeoutSeconds));
                elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
            }
            List<Row> rows = new ArrayList<>();
            for (Map.Entry<String, String> job : modelByJob.entrySet()) {
                for (CompileTarget target : targets) {
                    rows.add(new Row(job.getValue(), target.getName(), results.get(job.getKey() + "/" + target.getName())));
                }
            }
            long ok = rows.stream().filter(r -> r.result() != null && r.result().getStatus() == ResultStatus.OK).count();
            printTable(out, rows);
            // From the worker's start to the last committed result: fetches, compiles, uploads, transactions.
            double seconds = Math.max(elapsed.toMillis(), 1) / 1000.0;
            out.printf(java.util.Locale.ROOT, "demo: %d results in %.1f s, %.0f targets per minute%n",
                results.size(), seconds, results.size() * 60 / seconds);
            out.printf("demo: %d of %d results OK%n", ok, expected);
            out.flush();
            return ok == expected ? 0 : 1;
        }
    }

    private Map<String, byte[]> models() throws IOException {
        Map<String, byte[]> models = new LinkedHashMap<>();
        if (modelsDir != null) {
            models.putAll(ModelFiles.inFolder(modelsDir));
        } else if (builtModels != null) {
            models.putAll(builtModels.get());
        }
        return models;
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._=+-]", "_");
    }

    private static Properties producerProperties(EmbeddedKafkaBroker kafka) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }

    /** Reads committed results until every target has one, keyed "job/target". */
    private static Map<String, CompileResult> awaitResults(EmbeddedKafkaBroker kafka, MessageCodec codec, Topics topics,
            int expected, Duration timeout) throws MalformedMessageException {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "npuc-demo-results");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        Map<String, CompileResult> results = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topics.results()));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (results.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    CompileResult result = codec.decodeResult(record.value());
                    results.put(result.getJobId() + "/" + result.getTargetName(), result);
                }
            }
        }
        return results;
    }

    private static void printTable(PrintWriter out, List<Row> rows) {
        String format = "%-28s %-32s %-7s %12s %12s %14s %10s%n";
        out.printf(format, "model", "target", "status", "SRAM (KiB)", "cycles", "inference ms", "compile ms");
        List<String> errors = new ArrayList<>();
        for (Row row : rows) {
            CompileResult result = row.result();
            if (result == null) {
                out.printf(format, row.model(), row.target(), "MISSING", "", "", "", "");
                continue;
            }
            Map<String, String> metrics = result.getMetrics();
            out.printf(format, row.model(), row.target(), result.getStatus(),
                number(metrics.get("sram_memory_used"), 1, "%.2f"),
                number(metrics.get("cycles_total"), 1, "%.0f"),
                number(metrics.get("inference_time"), 1000, "%.3f"),
                result.getCompileMillis());
            if (result.getError() != null) {
                errors.add(row.model() + " / " + row.target() + ": " + result.getError());
            }
        }
        errors.forEach(error -> out.println("  " + error));
    }

    /** A summary metric scaled and formatted for the table; "-" while the compiler does not report it. */
    private static String number(String value, double scale, String format) {
        if (value == null) {
            return "-";
        }
        try {
            return String.format(java.util.Locale.ROOT, format, Double.parseDouble(value) * scale);
        } catch (NumberFormatException e) {
            return value;
        }
    }
}
