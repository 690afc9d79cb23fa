package npuc.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import npuc.embedded.EmbeddedKafkaBroker;
import npuc.embedded.EmbeddedS3Endpoint;
import npuc.messages.CompileJob;
import npuc.messages.CompileResult;
import npuc.messages.CompileTarget;
import npuc.messages.ResultStatus;
import npuc.messages.Strategy;
import npuc.worker.codec.MessageCodec;
import npuc.worker.ops.OpsHttpServer;
import npuc.worker.storage.ObjectStorage;
import npuc.worker.storage.S3Location;
import npuc.worker.storage.S3Settings;
import org.apache.avro.SchemaNormalization;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The service under chaos, on loopback only: {@code npuc stack} in a process of its own, worker processes
 * ({@code npuc worker} with the simulated compiler), valid jobs with poison messages mixed in, and meanwhile
 * SIGKILLs of workers (one inside a transaction, then a takeover by a worker with another id), an S3 outage and
 * a third worker joining. Afterwards every valid job has exactly one committed result per target, every poison
 * message exactly one dead letter, no worker died of a message and no partition is left behind.
 *
 * <p>CI runs one round over 200 jobs. A soak runs more by hand, e.g. {@code -Dnpuc.chaos.jobs=5000}: one round
 * of kills, outage and join per 200 jobs.
 */
class ChaosTest {
    private static final int JOBS = Integer.getInteger("npuc.chaos.jobs", 200);
    private static final long SEED = Long.getLong("npuc.chaos.seed", 14);
    private static final Duration OUTAGE = Duration.ofSeconds(Long.getLong("npuc.chaos.outage-seconds", 20));
    private static final int MAX_TARGETS = 1000;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Random random = new Random(SEED);
    private final MessageCodec codec = new MessageCodec();
    private final Path logs = Path.of("target", "chaos");
    private final Map<String, Process> workers = new LinkedHashMap<>();
    private final Map<String, Integer> opsPorts = new HashMap<>();
    private final List<String> killed = new ArrayList<>();
    private String bootstrap;
    private URI s3Endpoint;
    private LoopbackProxy s3Proxy;
    private int kills;
    private int killsInTransaction;
    private boolean readinessNamedTheOutage;

    /** What a message sent to the jobs topic must come to. */
    private record Expected(String key, int results, boolean deadLetter) {
    }

    @Test
    void everyValidJobHasOneResultPerTargetAndEveryPoisonMessageOneDeadLetterWhateverHappens() throws Exception {
        if (Files.isDirectory(logs)) {
            try (var old = Files.list(logs)) {
                for (Path file : old.toList()) {
                    Files.delete(file);
                }
            }
        }
        Files.createDirectories(logs);
        Process stack = startStack();
        long start = System.nanoTime();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
             KafkaProducer<byte[], byte[]> submitter = new KafkaProducer<>(submitterProperties());
             ObjectStorage storage = new ObjectStorage(S3Settings.forEndpoint(s3Endpoint, EmbeddedS3Endpoint.ACCESS_KEY,
                 EmbeddedS3Endpoint.SECRET_KEY).buildClient())) {
            s3Proxy = new LoopbackProxy(s3Endpoint.getPort());
            List<String> models = uploadModels(storage);
            List<Map.Entry<ProducerRecord<byte[], byte[]>, Expected>> messages = messages(models);
            startWorker("w1");
            startWorker("w2");

            int rounds = Math.max(1, JOBS / 200);
            int perRound = (messages.size() + rounds - 1) / rounds;
            for (int round = 0; round < rounds; round++) {
                List<Map.Entry<ProducerRecord<byte[], byte[]>, Expected>> batch =
                    messages.subList(round * perRound, Math.min(messages.size(), (round + 1) * perRound));
                Thread sending = new Thread(() -> send(submitter, batch), "chaos-submit");
                sending.start();
                chaosRound(admin, round);
                sending.join();
            }

            Map<String, Expected> expected = new LinkedHashMap<>();
            messages.forEach(m -> expected.put(m.getValue().key(), m.getValue()));
            Outcome outcome = awaitOutcome(expected, Duration.ofSeconds(180 + 30L * rounds));
            Map<TopicPartition, Long> behind = lag(admin);

            for (Map.Entry<String, Process> worker : workers.entrySet()) {
                assertTrue(worker.getValue().isAlive(), "worker " + worker.getKey() + " died: " + tail(worker.getKey()));
            }
            stopWorkers();
            for (String id : workers.keySet()) {
                String log = Files.readString(logs.resolve(id + ".log"));
                assertTrue(!log.contains("OutOfMemoryError") && !log.contains("stopped by an unexpected error"),
                    "worker " + id + " met a fatal error: " + tail(id));
            }

            long valid = expected.values().stream().filter(e -> !e.deadLetter()).count();
            int targets = expected.values().stream().filter(e -> !e.deadLetter()).mapToInt(Expected::results).sum();
            System.out.printf("chaos: seed %d, %d valid jobs (%d targets) and %d poison messages; %d SIGKILLs (%d inside "
                    + "a transaction), a takeover by another worker id, a worker joining, an S3 outage of %d s "
                    + "(readiness named it: %s); %d results and %d dead letters committed, %d duplicates, %d lost, "
                    + "%d records behind; %.0f s%n", SEED, valid, targets, expected.size() - valid, kills,
                killsInTransaction, OUTAGE.toSeconds(), readinessNamedTheOutage, outcome.results(), outcome.deadLetters(),
                outcome.duplicates().size(), outcome.missing().size(), behind.values().stream().mapToLong(l -> l).sum(),
                (System.nanoTime() - start) / 1e9);
            assertEquals(List.of(), outcome.missing(), "messages without all their results or their dead letter");
            assertEquals(List.of(), outcome.duplicates(), "results or dead letters committed twice");
            assertEquals(List.of(), outcome.failedValidJobs(), "valid jobs with a result that is not OK");
            assertEquals(Map.of(), behind, "partitions whose committed offset is behind their end");
            assertTrue(killsInTransaction >= 1, "a worker was killed inside a transaction");
            assertTrue(readinessNamedTheOutage, "readiness reported the S3 outage as the cause");
        } finally {
            stopWorkers();
            if (s3Proxy != null) {
                s3Proxy.close();
            }
            stack.destroy();
            stack.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private Process startStack() throws Exception {
        Path env = logs.resolve("stack.env");
        Files.deleteIfExists(env);
        Process stack = java("npuc.cli.Main", List.of("stack", "--kafka-port", "0", "--s3-port", "0", "--partitions", "6",
            "--env-file", env.toString()), Map.of(), logs.resolve("stack.log"));
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!Files.readString(logs.resolve("stack.log")).contains("stack: ready") && System.nanoTime() < deadline) {
            assertTrue(stack.isAlive(), "npuc stack ended: " + Files.readString(logs.resolve("stack.log")));
            Thread.sleep(200);
        }
        Properties values = new Properties();
        try (var reader = Files.newBufferedReader(env)) {
            values.load(reader);
        }
        bootstrap = values.getProperty("NPUC_BOOTSTRAP_SERVERS");
        s3Endpoint = URI.create(values.getProperty("NPUC_S3_ENDPOINT"));
        return stack;
    }

    private Process java(String main, List<String> args, Map<String, String> environment, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-Dnpuc.chaos.compile-millis=" + Long.getLong("npuc.chaos.compile-millis", 150),
            "-cp", System.getProperty("java.class.path"), main));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().keySet().removeIf(name -> name.startsWith("NPUC_"));
        builder.environment().putAll(environment);
        return builder.start();
    }

    private void startWorker(String id) throws IOException {
        int port = opsPorts.computeIfAbsent(id, i -> {
            try {
                return EmbeddedKafkaBroker.freePort();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        Map<String, String> env = new HashMap<>();
        env.put("NPUC_BOOTSTRAP_SERVERS", bootstrap);
        env.put("NPUC_S3_ENDPOINT", "http://127.0.0.1:" + s3Proxy.port());
        env.put("NPUC_S3_ACCESS_KEY", EmbeddedS3Endpoint.ACCESS_KEY);
        // The secret travels in the environment; the command line a ps shows has none.
        env.put("NPUC_S3_SECRET_KEY", EmbeddedS3Endpoint.SECRET_KEY);
        env.put("NPUC_WORKER_ID", id);
        env.put("NPUC_HTTP_PORT", Integer.toString(port));
        env.put("NPUC_HTTP_BIND_ADDRESS", "127.0.0.1");
        env.put("NPUC_COMPILE_THREADS", "2");
        env.put("NPUC_MAX_JOBS_IN_FLIGHT", "4");
        env.put("NPUC_TARGET_TIMEOUT_SECONDS", "3");
        env.put("NPUC_MAX_TARGETS_PER_JOB", Integer.toString(MAX_TARGETS));
        env.put("NPUC_S3_PROBE_INTERVAL_SECONDS", "1");
        env.put("NPUC_SHUTDOWN_GRACE_SECONDS", "5");
        // A killed static member's partitions move after this, not after the default 45 s.
        env.put("NPUC_KAFKA_SESSION_TIMEOUT_MS", "10000");
        Process process = java(ChaosWorker.class.getName(), List.of(), env, logs.resolve(id + ".log"));
        assertTrue(process.info().arguments().map(a -> !String.join(" ", a).contains(EmbeddedS3Endpoint.SECRET_KEY))
            .orElse(true), "no secret on the command line");
        workers.put(id, process);
    }

    /** One round: a kill inside a transaction and a restart, an outage, a worker joining, a takeover, a random kill. */
    private void chaosRound(Admin admin, int round) throws Exception {
        pause(Duration.ofSeconds(3 + random.nextInt(3)));
        killInsideATransaction(admin, "w1");
        pause(Duration.ofSeconds(2));
        startWorker("w1");

        pause(Duration.ofSeconds(2 + random.nextInt(3)));
        s3Proxy.cut();
        long outageEnd = System.nanoTime() + OUTAGE.toNanos();
        String joining = round == 0 ? "w3" : "w" + (3 + round);
        boolean joined = false;
        while (System.nanoTime() < outageEnd) {
            if (!joined && outageEnd - System.nanoTime() < OUTAGE.toNanos() / 2) {
                startWorker(joining);
                joined = true;
            }
            readinessNamedTheOutage |= ready(random.nextBoolean() ? "w1" : "w2").contains("the object store fails jobs");
            Thread.sleep(250);
        }
        s3Proxy.restore();

        pause(Duration.ofSeconds(2 + random.nextInt(3)));
        String gone = round == 0 ? "w2" : joining;
        killInsideATransaction(admin, gone);
        killed.add(gone);

        pause(Duration.ofSeconds(1 + random.nextInt(4)));
        kill("w1");
        pause(Duration.ofMillis(500 + random.nextInt(1500)));
        startWorker("w1");
    }

    /** Waits until the worker's transaction is open on the broker, then SIGKILLs it there. */
    private void killInsideATransaction(Admin admin, String id) throws Exception {
        String transactionalId = "npuc-worker-" + id;
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (state(admin, transactionalId) == TransactionState.ONGOING) {
                kill(id);
                if (state(admin, transactionalId) == TransactionState.ONGOING) {
                    killsInTransaction++;
                }
                return;
            }
        }
        kill(id);
    }

    private static TransactionState state(Admin admin, String transactionalId) {
        try {
            TransactionDescription description = admin.describeTransactions(List.of(transactionalId))
                .description(transactionalId).get(5, TimeUnit.SECONDS);
            return description.state();
        } catch (Exception e) {
            return TransactionState.UNKNOWN;
        }
    }

    private void kill(String id) throws InterruptedException {
        Process process = workers.remove(id);
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            kills++;
        }
    }

    private void stopWorkers() throws InterruptedException {
        for (Process process : workers.values()) {
            process.destroy();
        }
        for (Map.Entry<String, Process> worker : workers.entrySet()) {
            assertTrue(worker.getValue().waitFor(40, TimeUnit.SECONDS), "SIGTERM stops worker " + worker.getKey());
        }
        workers.clear();
    }

    private String ready(String id) {
        Integer port = opsPorts.get(id);
        if (port == null || !workers.containsKey(id)) {
            return "";
        }
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + OpsHttpServer.READY_PATH))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static void pause(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis());
    }

    private String tail(String id) {
        try {
            List<String> lines = Files.readAllLines(logs.resolve(id + ".log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private List<String> uploadModels(ObjectStorage storage) throws Exception {
        List<String> models = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            S3Location location = S3Location.parse("s3://models/chaos/m" + i + ".tflite");
            storage.write(location, SimulatedCompiler.model("chaos-" + i, 2048 + 512 * i), "application/octet-stream");
            models.add(location.toString());
        }
        for (String special : List.of(SimulatedCompiler.HANG + "-model", SimulatedCompiler.INTERNAL_ERROR)) {
            S3Location location = S3Location.parse("s3://models/chaos/" + special + ".tflite");
            storage.write(location, SimulatedCompiler.model(special, 1024), "application/octet-stream");
        }
        return models;
    }

    private ProducerRecord<byte[], byte[]> record(String key, byte[] value) {
        return new ProducerRecord<>("npuc.jobs", null, key.getBytes(StandardCharsets.UTF_8), value, new RecordHeaders());
    }

    private ProducerRecord<byte[], byte[]> job(CompileJob job) {
        return record(job.getJobId(), codec.encodeJob(job));
    }

    /** The valid jobs in order, each poison message at a random place among them. */
    private List<Map.Entry<ProducerRecord<byte[], byte[]>, Expected>> messages(List<String> models) {
        List<Map.Entry<ProducerRecord<byte[], byte[]>, Expected>> valid = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            CompileJob job = TestJobs.job("job-" + i, models.get(i % models.size()), TestJobs.fiveTargets().subList(0, 2));
            valid.add(Map.entry(job(job), new Expected(job.getJobId(), 2, false)));
        }
        List<Map.Entry<ProducerRecord<byte[], byte[]>, Expected>> all = new ArrayList<>(valid);
        int rounds = Math.max(1, JOBS / 200);
        for (int round = 0; round < rounds; round++) {
            for (var message : poison("-" + round)) {
                all.add(random.nextInt(all.size() + 1), message);
            }
        }
        return all;
    }

    /** Poison messages, their keys (and job ids) ending in {@code suffix}. */
    private List<Map.Entry<ProducerRecord<byte[], byte[]>, Expected>> poison(String suffix) {
        List<Map.Entry<ProducerRecord<byte[], byte[]>, Expected>> poison = new ArrayList<>();
        byte[] header = singleObjectHeader();
        byte[] hugeArray = concat(header, new byte[] {12, 'p', 'o', 'i', 's', 'o', 'n', 2, 'x', 0, 2, 'y',
            (byte) 0x80, (byte) 0xD0, (byte) 0xAC, (byte) 0xF3, 0x0E, 0});
        poison.add(Map.entry(record("poison-array" + suffix, hugeArray), new Expected("poison-array" + suffix, 1, true)));
        byte[] garbage = new byte[1_040_000];
        random.nextBytes(garbage);
        System.arraycopy(header, 0, garbage, 0, 2);
        poison.add(Map.entry(record("poison-megabyte" + suffix, garbage), new Expected("poison-megabyte" + suffix, 1, true)));
        byte[] whole = codec.encodeJob(TestJobs.job("cut", "s3://models/chaos/m0.tflite", TestJobs.fiveTargets()));
        poison.add(Map.entry(record("poison-cut" + suffix, java.util.Arrays.copyOf(whole, whole.length / 2)),
            new Expected("poison-cut" + suffix, 1, true)));
        poison.add(Map.entry(record("poison-json" + suffix, "{\"jobId\":".getBytes(StandardCharsets.UTF_8)),
            new Expected("poison-json" + suffix, 1, true)));
        CompileJob elsewhere = TestJobs.job("poison-output" + suffix, "s3://models/chaos/m1.tflite",
            TestJobs.fiveTargets().subList(0, 2));
        elsewhere.setOutputPrefix("s3://models/overwritten");
        poison.add(Map.entry(job(elsewhere), new Expected("poison-output" + suffix, 2, true)));
        List<CompileTarget> escaping = new ArrayList<>(TestJobs.fiveTargets().subList(0, 1));
        escaping.get(0).setSystemConfig("../../escaped");
        CompileJob traversal = TestJobs.job("poison-traversal" + suffix, "s3://models/chaos/m2.tflite", escaping);
        poison.add(Map.entry(job(traversal), new Expected("poison-traversal" + suffix, 1, true)));
        CompileJob tooMany = TestJobs.job("poison-targets" + suffix, "s3://models/chaos/m3.tflite", TestJobs.arenaSweep(MAX_TARGETS + 1));
        poison.add(Map.entry(job(tooMany), new Expected("poison-targets" + suffix, 1, true)));
        List<CompileTarget> unknown = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            unknown.add(TestJobs.target("t" + i, "ethos-u99-" + i, "Ethos_U55_High_End_Embedded", "Shared_Sram",
                Strategy.Performance));
        }
        CompileJob failing = TestJobs.job("poison-unknown" + suffix, "s3://models/chaos/m4.tflite", unknown);
        poison.add(Map.entry(job(failing), new Expected("poison-unknown" + suffix, 300, true)));
        CompileJob hanging = TestJobs.job("poison-deadline" + suffix, "s3://models/chaos/" + SimulatedCompiler.HANG + "-model.tflite",
            TestJobs.fiveTargets().subList(0, 1));
        poison.add(Map.entry(job(hanging), new Expected("poison-deadline" + suffix, 1, true)));
        CompileJob bug = TestJobs.job("poison-bug" + suffix, "s3://models/chaos/" + SimulatedCompiler.INTERNAL_ERROR + ".tflite",
            TestJobs.fiveTargets().subList(0, 1));
        poison.add(Map.entry(job(bug), new Expected("poison-bug" + suffix, 1, true)));
        return poison;
    }

    private static byte[] singleObjectHeader() {
        long fingerprint = SchemaNormalization.parsingFingerprint64(CompileJob.getClassSchema());
        byte[] header = new byte[10];
        header[0] = (byte) 0xC3;
        header[1] = 0x01;
        for (int i = 0; i < 8; i++) {
            header[2 + i] = (byte) (fingerprint >>> (8 * i));
        }
        return header;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }

    /** Sends the messages at a steady pace, so work goes on through the chaos. */
    private static void send(KafkaProducer<byte[], byte[]> submitter, List<Map.Entry<ProducerRecord<byte[], byte[]>, Expected>> batch) {
        long pace = Duration.ofSeconds(25).toNanos() / Math.max(1, batch.size());
        long next = System.nanoTime();
        for (var message : batch) {
            submitter.send(message.getKey());
            next += pace;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        submitter.flush();
    }

    private Properties submitterProperties() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(2 << 20));
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }

    /** What the results and dead-letter topics hold. */
    private record Outcome(int results, int deadLetters, List<String> missing, List<String> duplicates,
            List<String> failedValidJobs) {
    }

    private Outcome awaitOutcome(Map<String, Expected> expected, Duration timeout) throws Exception {
        Map<String, Map<String, Integer>> results = new HashMap<>();
        Map<String, Integer> deadLetters = new HashMap<>();
        List<String> failed = new ArrayList<>();
        int[] counts = new int[2];
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "chaos-reader");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of("npuc.results", "npuc.jobs.dlt"));
            // Anything published twice would arrive within a few seconds of the rest: read on that long.
            long deadline = System.nanoTime() + timeout.toNanos();
            long settled = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settled)) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    String key = new String(record.key(), StandardCharsets.UTF_8);
                    if (record.topic().equals("npuc.jobs.dlt")) {
                        deadLetters.merge(key, 1, Integer::sum);
                        counts[1]++;
                        continue;
                    }
                    CompileResult result = codec.decodeResult(record.value());
                    results.computeIfAbsent(key, k -> new HashMap<>()).merge(result.getTargetName(), 1, Integer::sum);
                    counts[0]++;
                    Expected job = expected.get(key);
                    if (job != null && !job.deadLetter() && result.getStatus() != ResultStatus.OK) {
                        failed.add(key + "/" + result.getTargetName() + ": " + result.getError());
                    }
                }
                if (settled == Long.MAX_VALUE && missing(expected, results, deadLetters).isEmpty()) {
                    settled = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                }
            }
        }
        List<String> duplicates = new ArrayList<>();
        results.forEach((key, targets) -> targets.forEach((target, count) -> {
            if (count > 1) {
                duplicates.add(key + "/" + target + " x" + count);
            }
        }));
        deadLetters.forEach((key, count) -> {
            if (count > 1) {
                duplicates.add(key + " dead letter x" + count);
            }
        });
        Collections.sort(duplicates);
        return new Outcome(counts[0], counts[1], missing(expected, results, deadLetters), duplicates, failed);
    }

    private static List<String> missing(Map<String, Expected> expected, Map<String, Map<String, Integer>> results,
            Map<String, Integer> deadLetters) {
        List<String> missing = new ArrayList<>();
        for (Expected job : expected.values()) {
            int got = results.getOrDefault(job.key(), Map.of()).size();
            if (got < job.results()) {
                missing.add(job.key() + " has " + got + " of " + job.results() + " results");
            }
            if (job.deadLetter() && !deadLetters.containsKey(job.key())) {
                missing.add(job.key() + " has no dead letter");
            }
            if (!job.deadLetter() && deadLetters.containsKey(job.key())) {
                missing.add(job.key() + " is valid but was dead-lettered");
            }
        }
        return missing;
    }

    /** Partitions of the jobs topic whose committed offset is behind their end offset, and by how much. */
    private static Map<TopicPartition, Long> lag(Admin admin) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("npuc-workers")
            .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < 6; p++) {
            latest.put(new TopicPartition("npuc.jobs", p), org.apache.kafka.clients.admin.OffsetSpec.latest());
        }
        Map<TopicPartition, Long> behind = new TreeMap<>((a, b) -> Integer.compare(a.partition(), b.partition()));
        admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).forEach((partition, end) -> {
            OffsetAndMetadata offset = committed.get(partition);
            long lag = end.offset() - (offset == null ? 0 : offset.offset());
            if (lag > 0) {
                behind.put(partition, lag);
            }
        });
        return behind.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
