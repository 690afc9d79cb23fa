package npuc.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

import npuc.embedded.EmbeddedKafkaBroker;
import npuc.embedded.EmbeddedS3Endpoint;
import npuc.worker.Topics;
import npuc.worker.storage.ObjectStorage;
import npuc.worker.storage.S3Location;
import npuc.worker.storage.S3Settings;
import npuc.worker.storage.StorageScope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code npuc stack}: the embedded Kafka broker and S3 endpoint as a process of their own, with the topics and
 * buckets a worker uses and the example models uploaded, so that {@code npuc worker} and {@code npuc submit}
 * run as separate processes against it without Docker. Runs until stopped (Ctrl-C, SIGTERM).
 */
@Command(name = "stack", mixinStandardHelpOptions = true,
    description = "Run a Kafka broker and an S3 endpoint for workers and submitters in other processes, until stopped.")
public final class StackCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--kafka-port", defaultValue = "9092",
        description = "Loopback port of the Kafka broker; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--s3-port", defaultValue = "9000",
        description = "Loopback port of the S3 endpoint; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int s3Port;

    @Option(names = "--partitions", defaultValue = "6",
        description = "Partitions of each topic (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--models", paramLabel = "DIR",
        description = "Upload every .tflite in DIR to s3://models/ (default: the built-in example models).")
    Path modelsDir;

    @Option(names = "--env-file", paramLabel = "FILE",
        description = "Also write the NPUC_* variables that point a worker or submitter at this stack to FILE.")
    Path envFile;

    private final Supplier<? extends Map<String, byte[]>> builtModels;

    /** @param builtModels models by name, uploaded when no --models directory is given */
    public StackCommand(Supplier<? extends Map<String, byte[]>> builtModels) {
        this.builtModels = builtModels;
    }

    @Override
    public Integer call() throws Exception {
        if (partitions < 1) {
            throw new ParameterException(spec.commandLine(), "--partitions must be at least 1");
        }
        checkFree("--kafka-port", kafkaPort);
        checkFree("--s3-port", s3Port);
        Map<String, byte[]> models = modelsDir != null ? ModelFiles.inFolder(modelsDir) : builtModels.get();
        PrintWriter out = spec.commandLine().getOut();
        CountDownLatch stop = new CountDownLatch(1);
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start(kafkaPort);
             EmbeddedS3Endpoint s3 = s3Port == 0 ? EmbeddedS3Endpoint.start() : EmbeddedS3Endpoint.start(s3Port);
             ObjectStorage storage = new ObjectStorage(S3Settings.forEndpoint(s3.endpoint(),
                 EmbeddedS3Endpoint.ACCESS_KEY, EmbeddedS3Endpoint.SECRET_KEY).buildClient())) {
            List<String> topics = Topics.DEFAULT.all();
            kafka.createTopics(partitions, topics);
            S3Location modelRoot = S3Location.parse(StorageScope.DEFAULT_MODELS);
            String artifacts = S3Location.parse(StorageScope.DEFAULT_OUTPUTS).bucket();
            storage.ensureBucket(modelRoot.bucket());
            storage.ensureBucket(artifacts);
            List<String> uploaded = new ArrayList<>();
            for (Map.Entry<String, byte[]> model : models.entrySet()) {
                S3Location location = modelRoot.resolve(model.getKey() + ".tflite");
                storage.write(location, model.getValue(), "application/octet-stream");
                uploaded.add(location.toString());
            }
            Map<String, String> environment = new LinkedHashMap<>();
            environment.put("NPUC_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
            environment.put("NPUC_S3_ENDPOINT", s3.endpoint().toString());
            environment.put("NPUC_S3_ACCESS_KEY", EmbeddedS3Endpoint.ACCESS_KEY);
            environment.put(S3Options.SECRET_KEY_VARIABLE, EmbeddedS3Endpoint.SECRET_KEY);
            if (envFile != null) {
                StringBuilder lines = new StringBuilder();
                environment.forEach((name, value) -> lines.append(name).append('=').append(value).append('\n'));
                Files.writeString(envFile, lines);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "npuc-stack-stop"));
            out.printf("stack: Kafka at %s, topics %s with %d partitions each%n", kafka.bootstrapServers(),
                String.join(", ", topics), partitions);
            out.printf("stack: S3 at %s, buckets %s and %s, access key %s, secret key %s%n", s3.endpoint(),
                modelRoot.bucket(), artifacts, EmbeddedS3Endpoint.ACCESS_KEY, EmbeddedS3Endpoint.SECRET_KEY);
            if (envFile != null) {
                out.printf("stack: wrote %s (%s)%n", envFile, String.join(", ", environment.keySet()));
            }
            out.printf("stack: models %s%n", uploaded.isEmpty() ? "none" : String.join(", ", uploaded));
            out.println("stack: ready; Ctrl-C stops it");
            out.flush();
            stop.await();
            out.println("stack: stopping");
            out.flush();
        }
        return 0;
    }

    private void checkFree(String option, int port) {
        if (port < 0 || port > 65535) {
            throw new ParameterException(spec.commandLine(), option + " must be 0 to 65535");
        }
        if (port == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            probe.setReuseAddress(true);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), option + " " + port + " is in use; give another port, "
                + "or 0 for a free one");
        }
    }
}
