package npuc.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import npuc.CompileOptions;
import npuc.arch.ConfigException;
import npuc.arch.Target;
import npuc.arch.TargetOptions;
import npuc.arch.Targets;
import npuc.schedule.OptimizationStrategy;

/**
 * The compiles the benchmarks time, read from the reference data beside the repository: the rows of
 * {@code summary.csv} (the models of the shared folder on the five standard targets) and of {@code dse.csv}
 * (four models, two targets, eight arena sizes), each with the seconds one Vela 3.10 process took for it on
 * this kind of machine.
 */
record ReferenceRows(Path shared, List<Row> rows) {

    /**
     * One compile: model, target, strategy, arena size (null for the memory mode's) and Vela 3.10's time.
     */
    record Row(String model, String accelerator, String systemConfig, String memoryMode, String strategy,
               Long arenaCacheSize, double velaSeconds) {

        Path modelFile(Path shared) {
            return shared.resolve("models").resolve(model + ".tflite");
        }

        Target target() {
            try {
                return Targets.resolve(new TargetOptions(accelerator, systemConfig, memoryMode, null, arenaCacheSize));
            } catch (ConfigException e) {
                throw new IllegalStateException("reference row " + this + ": " + e.getMessage(), e);
            }
        }

        CompileOptions options() {
            return CompileOptions.defaults().withStrategy(OptimizationStrategy.valueOf(strategy));
        }

        /** The arguments of a Vela (or npuc compile) command line for this row. */
        List<String> velaArguments(Path shared, Path outputDir) {
            List<String> args = new ArrayList<>(List.of(modelFile(shared).toString(), "--accelerator-config",
                    accelerator, "--system-config", systemConfig, "--memory-mode", memoryMode, "--optimise", strategy,
                    "--config", Targets.BUILT_IN_CONFIG_NAME, "--output-dir",
                    outputDir.toString()));
            if (arenaCacheSize != null) {
                args.addAll(List.of("--arena-cache-size", arenaCacheSize.toString()));
            }
            return args;
        }

        /** "mobilenet_v2_1.0_224_quant/ethos-u55-128/Performance". */
        String label() {
            return model + "/" + accelerator + "/" + strategy + (arenaCacheSize == null ? "" : "/" + arenaCacheSize);
        }
    }

    /** The five standard targets: summary.csv's rows. */
    static ReferenceRows summary(Path shared) {
        return read(shared, "summary.csv", false);
    }

    /** The arena sweep: dse.csv's rows. */
    static ReferenceRows arenaSweep(Path shared) {
        return read(shared, "dse.csv", true);
    }

    private static ReferenceRows read(Path shared, String file, boolean withArena) {
        Path csv = shared.resolve("reference/vela-3.10").resolve(file);
        List<String> lines;
        try {
            lines = Files.readAllLines(csv);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + csv + " (pass --shared DIR)", e);
        }
        List<String> header = Arrays.asList(lines.get(0).split(",", -1));
        List<Row> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            String velaSeconds = f[header.indexOf("vela_seconds")];
            rows.add(new Row(f[header.indexOf("model")], f[header.indexOf("accelerator_config")],
                    f[header.indexOf("system_config")], f[header.indexOf("memory_mode")], f[header.indexOf("optimise")],
                    withArena ? Long.valueOf(f[header.indexOf("arena_cache_size")]) : null,
                    velaSeconds.isEmpty() ? Double.NaN : Double.parseDouble(velaSeconds)));
        }
        return new ReferenceRows(shared, List.copyOf(rows));
    }

    /** The rows of the comma-separated {@code models}; all rows when it is empty. */
    ReferenceRows only(String models) {
        if (models == null || models.isBlank()) {
            return this;
        }
        List<String> names = List.of(models.split(","));
        return new ReferenceRows(shared, rows.stream().filter(r -> names.contains(r.model())).toList());
    }

    /** The rows of one model. */
    List<Row> ofModel(String model) {
        return rows.stream().filter(r -> r.model().equals(model)).toList();
    }

    Optional<Row> find(String model, String accelerator) {
        return rows.stream().filter(r -> r.model().equals(model) && r.accelerator().equals(accelerator)).findFirst();
    }

    /** Vela 3.10's seconds over all rows, one process at a time. */
    double velaSeconds() {
        return rows.stream().mapToDouble(Row::velaSeconds).filter(d -> !Double.isNaN(d)).sum();
    }

    List<String> models() {
        return rows.stream().map(Row::model).distinct().toList();
    }
}
