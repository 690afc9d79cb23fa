package npuc.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import npuc.cli.Main;
import npuc.embedded.EmbeddedKafkaBroker;
import npuc.embedded.EmbeddedS3Endpoint;
import npuc.tflite.ModelBuilder;
import npuc.worker.CompileWorker;
import npuc.worker.ModelBytes;
import npuc.worker.storage.ObjectStorage;
import npuc.worker.PipelineCompiler;
import npuc.worker.storage.S3Location;
import npuc.worker.storage.S3Settings;
import npuc.worker.TargetCompiler;
import npuc.worker.TargetOutcome;
import npuc.worker.TargetSpec;
import npuc.worker.Topics;
import npuc.worker.WorkerSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep on the farm (a real broker and S3 endpoint in this JVM, a worker on the pipeline compiler) gives
 * the sweep a local run gives, but for the compile times.
 */
class FarmSweepTest {
    private static EmbeddedKafkaBroker kafka;
    private static EmbeddedS3Endpoint s3;
    private static ObjectStorage storage;
    private static CompileWorker worker;

    @TempDir
    Path dir;

    /** The pipeline compiler, but for a compiler bug planted for the model named planted_bug at 16 KiB. */
    static final TargetCompiler PLANTED_BUG = new TargetCompiler() {
        private final PipelineCompiler compiler = new PipelineCompiler();

        @Override
        public TargetOutcome compile(ModelBytes model, TargetSpec target, npuc.Cancellation cancellation)
                throws npuc.BadInputException {
            if (model.name().equals("planted_bug") && target.arenaCacheSize().getAsLong() == 16 * 1024) {
                throw new IllegalStateException("a planted bug");
            }
            return compiler.compile(model, target, cancellation);
        }
    };

    @BeforeAll
    static void startFarm() throws Exception {
        kafka = EmbeddedKafkaBroker.start();
        s3 = EmbeddedS3Endpoint.start();
        storage = new ObjectStorage(settings().buildClient());
        storage.ensureBucket("models");
        storage.ensureBucket("artifacts");
        kafka.createTopics(2, Topics.DEFAULT.all());
        worker = new CompileWorker(WorkerSettings.defaults(kafka.bootstrapServers(), "sweep-test")
            .withConcurrency(2, 4).withShutdownGrace(Duration.ofSeconds(5)), PLANTED_BUG, storage);
        worker.start();
    }

    @AfterAll
    static void stopFarm() {
        worker.close();
        storage.close();
        s3.close();
        kafka.close();
    }

    private static S3Settings settings() {
        return S3Settings.forEndpoint(s3.endpoint(), EmbeddedS3Endpoint.ACCESS_KEY, EmbeddedS3Endpoint.SECRET_KEY);
    }

    private List<String> s3Flags() throws Exception {
        // The secret from a file, as a mounted secret gives it: never on the command line.
        Path secret = Files.writeString(dir.resolve("s3-secret-key"), EmbeddedS3Endpoint.SECRET_KEY);
        return List.of("--s3-endpoint", s3.endpoint().toString(), "--s3-access-key", EmbeddedS3Endpoint.ACCESS_KEY,
            "--s3-secret-key-file", secret.toString());
    }

    private static String sweep(int expectedExit, List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("sweep"));
        all.addAll(args);
        int exit = Main.run(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(expectedExit, exit, err + "\n" + out);
        return out.toString();
    }

    private Path models() throws Exception {
        Path models = Files.createDirectories(dir.resolve("models"));
        Files.write(models.resolve("kws.tflite"), ModelBuilder.keywordSpotting().toBytes());
        Files.write(models.resolve("mobilenet_block.tflite"), ModelBuilder.mobileNetBlock().toBytes());
        return models;
    }

    private static List<String> sweepArgs(String models, Path out) {
        return List.of("--models", models, "--target", "ethos-u55-128:Ethos_U55_High_End_Embedded:Shared_Sram",
            "--target", "ethos-u65-256:Ethos_U65_High_End:Dedicated_Sram:Size", "--arena-sizes", "16KiB,256KiB",
            "--per-layer", "--output-dir", out.toString());
    }

    /** The CSV's rows as text, without the compile time (the one column that differs run to run). */
    private static List<String> withoutTimes(Path sweep) throws Exception {
        List<String> rows = new ArrayList<>();
        for (PointResult r : SweepCsv.read(sweep.resolve(SweepCsv.FILE_NAME))) {
            rows.add(new PointResult(r.key(), r.modelSha256(), r.options(), r.status(), r.error(), r.errorSignature(),
                r.metrics(), 0, r.npucVersion()).toString());
        }
        return rows;
    }

    @Test
    void aFarmSweepGivesTheLocalSweepsCsvButForTimes() throws Exception {
        Path models = models();
        Path local = dir.resolve("local");
        Path farm = dir.resolve("farm");
        sweep(0, sweepArgs(models.toString(), local));
        List<String> farmArgs = new ArrayList<>(sweepArgs(models.toString(), farm));
        farmArgs.addAll(List.of("--bootstrap-servers", kafka.bootstrapServers(), "--timeout-seconds", "120"));
        farmArgs.addAll(s3Flags());

        String out = sweep(0, farmArgs);

        assertTrue(out.contains("on the farm at " + kafka.bootstrapServers()), out);
        List<String> expected = withoutTimes(local);
        assertEquals(8, expected.size());
        assertEquals(expected, withoutTimes(farm));
        for (PointResult r : SweepCsv.read(farm.resolve(SweepCsv.FILE_NAME))) {
            Path table = SweepFolder.perLayerFile(farm, r.key());
            assertEquals(Files.readString(SweepFolder.perLayerFile(local, r.key())), Files.readString(table),
                "the per-layer table the worker stored, for " + r.key());
        }
    }

    @Test
    void anInternalErrorIsOneRowWithItsSignatureHereAndOnTheFarm() throws Exception {
        Path models = Files.createDirectories(dir.resolve("bug"));
        Files.write(models.resolve("planted_bug.tflite"), ModelBuilder.keywordSpotting().toBytes());
        Path local = dir.resolve("local");
        Path farm = dir.resolve("farm");
        SweepPlan plan = new SweepPlan(ModelSource.resolve(List.of(models.toString()), () -> null),
            List.of(SweepTarget.parse("ethos-u55-128:Ethos_U55_High_End_Embedded:Shared_Sram")),
            List.of(16L * 1024, 64L * 1024), Map.of(), java.util.Optional.empty(), false);
        try (SweepFolder folder = SweepFolder.open(local)) {
            SweepRun.run(plan, folder, SweepRun.local(new LocalSweep(PLANTED_BUG, 2, () -> storage,
                CompileWorker.npucVersion())), n -> SweepProgress.of(n, false, null,
                new PrintWriter(java.io.Writer.nullWriter())), "planted", CompileWorker.npucVersion());
        }
        List<String> args = new ArrayList<>(List.of("--models", models.toString(), "--target",
            "ethos-u55-128:Ethos_U55_High_End_Embedded:Shared_Sram", "--arena-sizes", "16KiB,64KiB",
            "--output-dir", farm.toString(), "--bootstrap-servers", kafka.bootstrapServers()));
        args.addAll(s3Flags());

        String out = sweep(1, args);

        assertTrue(out.contains("1 internal errors"), out);
        assertEquals(withoutTimes(local), withoutTimes(farm));
        PointResult bug = SweepCsv.read(farm.resolve(SweepCsv.FILE_NAME)).get(0);
        assertEquals(PointStatus.ERROR, bug.status());
        assertTrue(bug.errorSignature().contains("/IllegalStateException@"), bug.errorSignature());
        assertTrue(bug.error().startsWith("internal compiler error [" + bug.errorSignature() + "]: a planted bug"),
            bug.error());
        String report = Files.readString(farm.resolve(SweepReport.FILE_NAME));
        assertTrue(report.contains(bug.errorSignature()), "the report groups the failure by its signature");
    }

    @Test
    void modelsUnderAnS3PrefixSweepLocallyAsTheirFilesDo() throws Exception {
        Path models = models();
        for (String name : List.of("kws", "mobilenet_block")) {
            storage.write(new S3Location("models", "zoo/" + name + ".tflite"),
                Files.readAllBytes(models.resolve(name + ".tflite")), "application/octet-stream");
        }
        storage.write(new S3Location("models", "zoo/readme.txt"), new byte[] {1}, "text/plain");
        Path fromFiles = dir.resolve("files");
        Path fromS3 = dir.resolve("s3");
        sweep(0, sweepArgs(models.toString(), fromFiles));
        List<String> args = new ArrayList<>(sweepArgs("s3://models/zoo/", fromS3));
        args.addAll(s3Flags());

        sweep(0, args);

        assertEquals(withoutTimes(fromFiles), withoutTimes(fromS3));
    }

    @Test
    void aFarmThatDoesNotAnswerInTimeLeavesItsPointsToTheNextRun() throws Exception {
        Path models = models();
        Path farm = dir.resolve("farm");
        List<String> args = new ArrayList<>(List.of("--models", models.resolve("kws.tflite").toString(),
            "--target", "ethos-u55-128:Ethos_U55_High_End_Embedded:Shared_Sram", "--output-dir", farm.toString(),
            "--bootstrap-servers", kafka.bootstrapServers(), "--jobs-topic", "npuc.jobs.nobody-reads",
            "--timeout-seconds", "2"));
        args.addAll(s3Flags());
        kafka.createTopics(1, List.of("npuc.jobs.nobody-reads"));

        String out = sweep(1, args);

        assertTrue(out.contains("1 with no result in time"), out);
        assertEquals(List.of(), SweepCsv.read(farm.resolve(SweepCsv.FILE_NAME)));
    }
}
