package npuc.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;

import npuc.messages.CompileJob;
import npuc.messages.CompileTarget;
import npuc.messages.Strategy;
import npuc.worker.JobRequest;
import npuc.worker.StandardTargets;
import npuc.worker.codec.MalformedMessageException;
import npuc.worker.codec.MessageCodec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code npuc submit}: sends one compile job, from flags or from a JSON file. */
@Command(name = "submit", mixinStandardHelpOptions = true,
    description = "Send a compile job to the jobs topic (from flags, or --job FILE.json).")
public final class SubmitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka = new KafkaOptions();

    @Option(names = "--jobs-topic", defaultValue = "${env:NPUC_JOBS_TOPIC:-npuc.jobs}",
        description = "Topic of compile jobs (env NPUC_JOBS_TOPIC; default: ${DEFAULT-VALUE}).")
    String jobsTopic;

    @Option(names = "--job", paramLabel = "FILE.json", description = "The job as JSON (the Avro field names).")
    Path jobFile;

    @Option(names = "--model", paramLabel = "s3://BUCKET/KEY", description = "The model to compile.")
    String modelUri;

    @Option(names = "--output", paramLabel = "s3://BUCKET/PREFIX", description = "Where artifacts go.")
    String outputPrefix;

    @Option(names = "--job-id", description = "Default: a random UUID.")
    String jobId;

    @Option(names = "--sha256", description = "Expected SHA-256 of the model.")
    String sha256;

    @Option(names = "--target", paramLabel = "ACCEL:SYSTEM:MEMORY[:STRATEGY[:ARENA_BYTES]]",
        description = "A target; repeat for a sweep. Default: the five standard targets.")
    List<String> targets = new ArrayList<>();

    @Option(names = "--config", paramLabel = "FILE.ini", description = "A Vela configuration file sent with the job.")
    Path configFile;

    @Option(names = "--as-json", description = "Send the job as JSON (content-type: application/json) instead of Avro.")
    boolean asJson;

    @Override
    public Integer call() throws Exception {
        MessageCodec codec = new MessageCodec();
        CompileJob job = jobFile != null
            ? codec.parseJobJson(Files.readString(jobFile), Instant.now())
            : fromFlags();
        try {
            JobRequest.from(job);
        } catch (MalformedMessageException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Properties props = new Properties();
        props.putAll(kafka.clientProperties());
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        RecordHeaders headers = new RecordHeaders();
        byte[] value;
        if (asJson) {
            headers.add(MessageCodec.CONTENT_TYPE, MessageCodec.JSON.getBytes(StandardCharsets.UTF_8));
            value = codec.toJson(job).getBytes(StandardCharsets.UTF_8);
        } else {
            headers.add(MessageCodec.CONTENT_TYPE, MessageCodec.AVRO.getBytes(StandardCharsets.UTF_8));
            value = codec.encodeJob(job);
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            var sent = producer.send(new ProducerRecord<>(jobsTopic, null,
                job.getJobId().getBytes(StandardCharsets.UTF_8), value, headers)).get();
            PrintWriter out = spec.commandLine().getOut();
            out.printf("submitted job %s (%d targets) to %s-%d@%d%n", job.getJobId(), job.getTargets().size(),
                sent.topic(), sent.partition(), sent.offset());
            out.flush();
        }
        return 0;
    }

    private CompileJob fromFlags() throws Exception {
        if (modelUri == null || outputPrefix == null) {
            throw new ParameterException(spec.commandLine(), "give --job FILE.json, or --model and --output");
        }
        List<CompileTarget> parsed = new ArrayList<>();
        for (String target : targets) {
            parsed.add(parseTarget(target));
        }
        return CompileJob.newBuilder()
            .setJobId(jobId != null ? jobId : UUID.randomUUID().toString())
            .setModelUri(modelUri)
            .setModelSha256(sha256)
            .setOutputPrefix(outputPrefix)
            .setTargets(parsed.isEmpty() ? StandardTargets.five() : parsed)
            .setConfigFile(configFile == null ? null : Files.readString(configFile))
            .setSubmittedAt(Instant.now())
            .build();
    }

    private CompileTarget parseTarget(String text) {
        String[] parts = text.split(":");
        if (parts.length < 3 || parts.length > 5) {
            throw new ParameterException(spec.commandLine(),
                "--target " + text + ": expected ACCEL:SYSTEM:MEMORY[:STRATEGY[:ARENA_BYTES]]");
        }
        Strategy strategy = Strategy.Performance;
        if (parts.length >= 4) {
            strategy = switch (parts[3].toLowerCase(Locale.ROOT)) {
                case "performance" -> Strategy.Performance;
                case "size" -> Strategy.Size;
                case "fastestfit" -> Strategy.FastestFit;
                default -> throw new ParameterException(spec.commandLine(),
                    "--target " + text + ": strategy must be Performance, Size or FastestFit");
            };
        }
        Long arena = null;
        if (parts.length == 5) {
            try {
                arena = Long.parseLong(parts[4]);
            } catch (NumberFormatException e) {
                throw new ParameterException(spec.commandLine(), "--target " + text + ": arena size must be bytes");
            }
        }
        String name = String.join("-", parts[0], parts[1], parts[2], strategy.name()) + (arena == null ? "" : "-" + arena);
        CompileTarget target = StandardTargets.target(name, parts[0], parts[1], parts[2], strategy);
        target.setArenaCacheSize(arena);
        target.setExtraOptions(Map.of());
        return target;
    }
}
