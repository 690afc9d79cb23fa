package npuc.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the benchmarks and prints each against Vela: against the seconds of summary.csv and dse.csv (Vela 3.10,
 * one process per compile, measured on this kind of machine) and, where the settings of {@link VelaCommands}
 * name installed releases, against those run side by side now, two processes at a time.
 *
 * <pre>
 * java -jar bench/target/npuc-bench.jar [--shared DIR] [--smoke] [--no-vela] [--only encoding|compile|sweep]
 * </pre>
 */
public final class BenchMain {
    private BenchMain() {
    }

    /** Vela processes at a time, as farms and Arm's evaluation-kit scripts run it. */
    static final int VELA_PARALLEL = 2;
    /** The model of the smoke run: small, and in both reference tables. */
    static final String SMOKE_MODEL = "mobilenet_v1_0.25_128_quant";

    public static void main(String[] args) throws Exception {
        Path shared = Path.of("../shared");
        boolean smoke = false;
        boolean vela = true;
        String only = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--shared" -> shared = Path.of(args[++i]);
                case "--smoke" -> smoke = true;
                case "--no-vela" -> vela = false;
                case "--only" -> only = args[++i];
                default -> {
                    System.err.println("usage: npuc-bench [--shared DIR] [--smoke] [--no-vela] "
                            + "[--only encoding|compile|sweep]");
                    System.exit(2);
                }
            }
        }
        Path root = shared.toAbsolutePath().normalize();
        ReferenceRows summary = ReferenceRows.summary(root);
        ReferenceRows arena = ReferenceRows.arenaSweep(root);
        List<String> models = smoke ? List.of(SMOKE_MODEL) : summary.models().stream()
                .filter(m -> Files.isRegularFile(root.resolve("models").resolve(m + ".tflite"))).toList();
        VelaCommands velas = vela ? VelaCommands.fromSettings() : new VelaCommands(Optional.empty(), Optional.empty());
        // The smoke run's sweeps cover its model's rows only; so do their Vela figures.
        Report report = new Report(summary, smoke ? summary.only(SMOKE_MODEL) : summary,
                smoke ? arena.only(SMOKE_MODEL) : arena, velas);
        if (only == null || only.equals("encoding")) {
            report.encoding(run(WeightEncodingBenchmark.class, root, smoke, Map.of("model", models)), root, models);
        }
        if (only == null || only.equals("compile")) {
            List<String> accelerators = smoke ? List.of("ethos-u55-128")
                    : summary.rows().stream().map(ReferenceRows.Row::accelerator).distinct().toList();
            report.compile(run(CompileBenchmark.class, root, smoke,
                    Map.of("model", models, "accelerator", accelerators)));
        }
        if (only == null || only.equals("sweep")) {
            report.sweep(run(SweepBenchmark.class, root, smoke, Map.of()));
        }
        report.print(System.out);
    }

    private static Collection<RunResult> run(Class<?> benchmark, Path shared, boolean smoke,
            Map<String, List<String>> params) throws Exception {
        boolean singleShot = benchmark == SweepBenchmark.class;
        ChainedOptionsBuilder o = new OptionsBuilder()
                .include(benchmark.getName() + ".")
                .param("shared", shared.toString())
                .forks(1)
                .jvmArgsAppend("-Xmx3g")
                .shouldFailOnError(false);
        for (Map.Entry<String, List<String>> p : params.entrySet()) {
            o.param(p.getKey(), p.getValue().toArray(String[]::new));
        }
        if (smoke) {
            o.warmupIterations(singleShot ? 0 : 1).measurementIterations(1)
                    .warmupTime(TimeValue.milliseconds(500)).measurementTime(TimeValue.milliseconds(500));
        } else if (singleShot) {
            o.warmupIterations(2).measurementIterations(5);
        } else {
            o.warmupIterations(3).measurementIterations(5)
                    .warmupTime(TimeValue.seconds(1)).measurementTime(TimeValue.seconds(1));
        }
        if (smoke && singleShot) {
            o.param("models", SMOKE_MODEL);
        }
        return new Runner(o.build()).run();
    }

    static String format(String pattern, Object... values) {
        return String.format(Locale.ROOT, pattern, values);
    }

    /** Writes the encoder workload of each model for the Python driver. */
    static Map<String, Path> writeWorkloads(Path shared, List<String> models) throws Exception {
        Map<String, Path> files = new LinkedHashMap<>();
        ReferenceRows summary = ReferenceRows.summary(shared);
        for (String model : models) {
            Path file = Files.createTempFile("npuc-weights-" + model, ".bin");
            file.toFile().deleteOnExit();
            WeightWorkload.of(summary, model).write(file);
            files.put(model, file);
        }
        return files;
    }

    static List<String> pythonCommand() {
        String python = System.getenv("NPUC_PYTHON");
        return new ArrayList<>(List.of(python == null || python.isBlank() ? "python3" : python));
    }

    static Path encoderDriver() throws IOException {
        Path script = Files.createTempFile("vela_encoders", ".py");
        script.toFile().deleteOnExit();
        try (var in = BenchMain.class.getResourceAsStream("/vela_encoders.py")) {
            if (in == null) {
                throw new IOException("vela_encoders.py is missing from the benchmark jar");
            }
            Files.write(script, in.readAllBytes());
        }
        return script;
    }
}
