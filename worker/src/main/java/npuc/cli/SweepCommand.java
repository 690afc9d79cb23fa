package npuc.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;

import npuc.BadInputException;
import npuc.arch.ConfigException;
import npuc.arch.TargetOptions;
import npuc.sweep.ArenaSizes;
import npuc.sweep.ByteSize;
import npuc.sweep.Curve;
import npuc.sweep.FarmSweep;
import npuc.sweep.LocalSweep;
import npuc.sweep.ModelSource;
import npuc.sweep.PointStatus;
import npuc.sweep.SweepFolder;
import npuc.sweep.SweepModel;
import npuc.sweep.SweepPlan;
import npuc.sweep.SweepPoint;
import npuc.sweep.SweepProgress;
import npuc.sweep.SweepRun;
import npuc.sweep.SweepTarget;
import npuc.worker.CompileWorker;
import npuc.worker.storage.ObjectStorage;
import npuc.worker.storage.S3Location;
import npuc.worker.TargetCompiler;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code npuc sweep}: models × targets × arena sizes, here or on the farm, into a CSV, JSON and a report. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
    description = "Compile models x targets x arena sizes, locally on every core or on the farm, into sweep.csv, "
        + "sweep.json and report.html; run again with the same --output-dir to resume.")
public final class SweepCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--models", required = true, split = ",", paramLabel = "PATH|s3://BUCKET/PREFIX",
        description = "A .tflite file, a folder of them, or an s3:// prefix; repeat or separate with commas.")
    List<String> models = new ArrayList<>();

    @Option(names = "--target", paramLabel = "ACCEL:SYSTEM:MEMORY[:STRATEGY[:ARENA_SIZE]]",
        description = "A target as submit takes it; repeat. Default: the five standard targets.")
    List<String> targets = new ArrayList<>();

    @Option(names = "--accelerator", split = ",", paramLabel = "ACCEL", description = "Accelerators to cross.")
    List<String> accelerators = new ArrayList<>();

    @Option(names = "--system-config", split = ",", paramLabel = "NAME", description = "System configs to cross.")
    List<String> systemConfigs = new ArrayList<>();

    @Option(names = "--memory-mode", split = ",", paramLabel = "NAME", description = "Memory modes to cross.")
    List<String> memoryModes = new ArrayList<>();

    @Option(names = "--optimise", split = ",", paramLabel = "STRATEGY",
        description = "Strategies to cross with every target (default: each target's own; Performance for crossed ones).")
    List<String> strategies = new ArrayList<>();

    @Option(names = "--arena-sizes", paramLabel = "SIZES",
        description = "Arena cache sizes: a list (64KiB,256KiB,1MiB), FROM..TO*FACTOR or FROM..TO+STEP. "
            + "Default: each target's own.")
    String arenaSizes;

    @Option(names = "--option", paramLabel = "NAME=VALUE",
        description = "A compiler option by the worker's name, e.g. tensor-allocator=Greedy; repeat.")
    Map<String, String> options = new LinkedHashMap<>();

    @Option(names = "--config", paramLabel = "FILE.ini", description = "A Vela configuration file for the targets.")
    Path configFile;

    @Option(names = "--per-layer", description = "Keep Vela's per-layer table of every point (for diff --per-layer).")
    boolean perLayer;

    @Option(names = "--output-dir", defaultValue = "sweep", paramLabel = "DIR",
        description = "Where sweep.csv, sweep.json and report.html go; default: ${DEFAULT-VALUE}.")
    Path outputDir;

    @Option(names = "--title", paramLabel = "TEXT", description = "The report's title.")
    String title;

    @Option(names = "--compile-threads", defaultValue = "0", paramLabel = "N",
        description = "Points compiled at once in a local sweep; 0 (the default) is one per core.")
    int threads;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT,...",
        description = "Run on the farm: submit jobs to this Kafka cluster and gather its results.")
    String bootstrapServers;

    @Option(names = "--kafka-config", paramLabel = "FILE", defaultValue = "${env:NPUC_KAFKA_CONFIG}",
        description = "Properties file of further Kafka client settings (env NPUC_KAFKA_CONFIG).")
    Path kafkaConfig;

    @Option(names = "--jobs-topic", defaultValue = "${env:NPUC_JOBS_TOPIC:-npuc.jobs}",
        description = "Topic of compile jobs (env NPUC_JOBS_TOPIC; default: ${DEFAULT-VALUE}).")
    String jobsTopic;

    @Option(names = "--results-topic", defaultValue = "${env:NPUC_RESULTS_TOPIC:-npuc.results}",
        description = "Topic of results (env NPUC_RESULTS_TOPIC; default: ${DEFAULT-VALUE}).")
    String resultsTopic;

    @Option(names = "--model-prefix", defaultValue = "s3://models/sweep", paramLabel = "s3://BUCKET/PREFIX",
        description = "Where a farm sweep uploads local model files; default: ${DEFAULT-VALUE}.")
    String modelPrefix;

    @Option(names = "--artifacts", defaultValue = "s3://artifacts/sweep", paramLabel = "s3://BUCKET/PREFIX",
        description = "Where the farm's workers put a sweep's artifacts; default: ${DEFAULT-VALUE}.")
    String artifacts;

    @Option(names = "--timeout-seconds", defaultValue = "3600",
        description = "A farm sweep stops waiting for results after this; default: ${DEFAULT-VALUE}.")
    long timeoutSeconds;

    @Mixin
    S3Options s3 = new S3Options();

    private final TargetCompiler compiler;

    public SweepCommand(TargetCompiler compiler) {
        this.compiler = Objects.requireNonNull(compiler, "compiler");
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (LazyStorage storage = new LazyStorage(s3)) {
            List<SweepModel> sweepModels = ModelSource.resolve(models, storage::client);
            SweepPlan plan = plan(sweepModels, err);
            String version = CompileWorker.npucVersion();
            String reportTitle = title != null ? title : "npuc sweep: " + sweepModels.size() + " models × "
                + plan.targets().size() + " targets × " + (plan.arenaSizes().isEmpty() ? "their own arena sizes"
                    : plan.arenaSizes().size() + " arena sizes");
            SweepRun.Runner runner;
            String where;
            if (bootstrapServers == null) {
                int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
                runner = SweepRun.local(new LocalSweep(compiler, n, storage::storage, version));
                where = "here on " + n + " threads";
            } else {
                runner = farm(storage.storage());
                where = "on the farm at " + bootstrapServers;
            }
            SweepRun.Outcome outcome;
            try (SweepFolder folder = SweepFolder.open(outputDir)) {
                boolean terminal = System.console() != null;
                PrintStream bar = System.err;
                outcome = SweepRun.run(plan, folder, runner, n -> SweepProgress.of(n, terminal, bar, err),
                    reportTitle, version);
            }
            print(out, outcome, where);
            return outcome.clean() ? Main.EXIT_OK : Main.EXIT_BAD_INPUT;
        }
    }

    private SweepPlan plan(List<SweepModel> sweepModels, PrintWriter err) throws Exception {
        List<Long> sizes;
        try {
            sizes = arenaSizes == null ? List.of() : ArenaSizes.parse(arenaSizes);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--arena-sizes: " + e.getMessage());
        }
        Optional<String> config = configFile == null ? Optional.empty() : Optional.of(read(configFile));
        SweepPlan unchecked = new SweepPlan(sweepModels, List.of(), sizes, options, config, perLayer);
        boolean crossed = targets.isEmpty() && !(accelerators.isEmpty() && systemConfigs.isEmpty() && memoryModes.isEmpty());
        List<SweepTarget> known = new ArrayList<>();
        for (SweepTarget target : targets()) {
            try {
                unchecked.check(target);
                known.add(target);
            } catch (ConfigException e) {
                if (!crossed) {
                    throw e;
                }
                // A cross names combinations that need not all exist; the ones that do are swept.
                err.println("sweep: skipping " + target.device() + ": " + Main.oneLine(e.getMessage()));
            }
        }
        if (known.isEmpty()) {
            throw new BadInputException("no target of the sweep is known to the compiler");
        }
        return new SweepPlan(sweepModels, known, sizes, options, config, perLayer);
    }

    private List<SweepTarget> targets() {
        boolean crossing = !(accelerators.isEmpty() && systemConfigs.isEmpty() && memoryModes.isEmpty());
        if (!targets.isEmpty() && crossing) {
            throw new ParameterException(spec.commandLine(),
                "give --target, or --accelerator/--system-config/--memory-mode to cross, not both");
        }
        List<SweepTarget> base = new ArrayList<>();
        try {
            if (!targets.isEmpty()) {
                for (String t : targets) {
                    base.add(SweepTarget.parse(t));
                }
            } else if (crossing) {
                for (String a : orDefault(accelerators, TargetOptions.DEFAULT_ACCELERATOR)) {
                    for (String s : orDefault(systemConfigs, TargetOptions.INTERNAL_DEFAULT)) {
                        for (String m : orDefault(memoryModes, TargetOptions.INTERNAL_DEFAULT)) {
                            base.add(new SweepTarget(a, s, m, "Performance"));
                        }
                    }
                }
            } else {
                base.addAll(SweepTarget.standard());
            }
            Set<SweepTarget> all = new LinkedHashSet<>();
            for (SweepTarget t : base) {
                if (strategies.isEmpty()) {
                    all.add(t);
                }
                for (String strategy : strategies) {
                    all.add(t.withStrategy(strategy));
                }
            }
            return List.copyOf(all);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private static List<String> orDefault(List<String> given, String fallback) {
        return given.isEmpty() ? List.of(fallback) : given;
    }

    private SweepRun.Runner farm(ObjectStorage storage) throws Exception {
        KafkaOptions kafka = new KafkaOptions();
        kafka.bootstrapServers = bootstrapServers;
        kafka.configFile = kafkaConfig;
        Map<String, String> props = new LinkedHashMap<>(kafka.clientProperties());
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        S3Location models;
        S3Location output;
        try {
            models = S3Location.parse(modelPrefix);
            output = S3Location.parse(artifacts);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        String sweepId = "sweep-" + UUID.randomUUID().toString().substring(0, 8);
        FarmSweep sweep = new FarmSweep(new FarmSweep.Settings(props, jobsTopic, resultsTopic, models, output,
            Duration.ofSeconds(timeoutSeconds), sweepId), storage);
        return sweep::run;
    }

    private static String read(Path file) throws BadInputException {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new BadInputException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private void print(PrintWriter out, SweepRun.Outcome outcome, String where) {
        String format = "%-32s %-56s %-11s %10s %10s %11s %11s %6s%n";
        out.printf(format, "model", "target", "strategy", "fits from", "knee", "knee ms", "best ms", "failed");
        for (Curve c : Curve.of(outcome.results())) {
            out.printf(format, c.model(), c.target(), c.strategy(),
                c.smallestFit().isPresent() ? ByteSize.format(c.smallestFit().getAsLong()) : "-",
                c.knee().map(k -> ByteSize.format(k.key().arenaSize())).orElse("-"),
                c.knee().map(k -> millis(k.metric(Curve.INFERENCE_TIME).getAsDouble())).orElse("-"),
                c.bestTime().isPresent() ? millis(c.bestTime().getAsDouble()) : "-",
                c.count(PointStatus.FAILED) + c.count(PointStatus.ERROR));
        }
        double seconds = outcome.elapsed().toMillis() / 1000.0;
        int ran = outcome.planned() - outcome.kept();
        out.printf(Locale.ROOT, "sweep: %d points (%d run %s in %.1f s, %d kept from an earlier run): %d OK, %d do not fit, "
                + "%d failed, %d internal errors%s%n", outcome.planned(), ran, where, seconds, outcome.kept(),
            outcome.count(PointStatus.OK), outcome.count(PointStatus.DOES_NOT_FIT), outcome.count(PointStatus.FAILED),
            outcome.count(PointStatus.ERROR),
            outcome.missing().isEmpty() ? "" : ", " + outcome.missing().size() + " with no result in time (run again to retry them)");
        out.printf("sweep: wrote %s, %s and %s%n", outputDir.resolve("sweep.csv"), outputDir.resolve("sweep.json"),
            outputDir.resolve("report.html"));
        out.flush();
    }

    private static String millis(double seconds) {
        return String.format(Locale.ROOT, "%.3f", seconds * 1000);
    }

    /** The object store, connected only if a model or the farm needs it. */
    private static final class LazyStorage implements AutoCloseable {
        private final S3Options options;
        private software.amazon.awssdk.services.s3.S3Client client;
        private ObjectStorage storage;

        LazyStorage(S3Options options) {
            this.options = options;
        }

        synchronized software.amazon.awssdk.services.s3.S3Client client() {
            if (client == null) {
                client = options.settings().buildClient();
            }
            return client;
        }

        synchronized ObjectStorage storage() {
            if (storage == null) {
                storage = new ObjectStorage(client());
            }
            return storage;
        }

        @Override
        public synchronized void close() {
            if (storage != null) {
                storage.close();
            } else if (client != null) {
                client.close();
            }
        }
    }
}
