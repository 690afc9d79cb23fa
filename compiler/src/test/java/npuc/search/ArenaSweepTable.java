package npuc.search;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import npuc.ArenaTooSmallException;
import npuc.BadInputException;
import npuc.CompileOptions;
import npuc.CompileResult;
import npuc.Compiler;
import npuc.arch.Target;
import npuc.arch.TargetOptions;
import npuc.arch.Targets;
import npuc.graph.Graph;
import npuc.schedule.OptimizationStrategy;
import npuc.tflite.TfliteReader;

/**
 * Vela against FastestFit over arena sizes: for every model, target and arena size, Vela's inference time and SRAM
 * (from a reference table in the columns of Vela's dse.csv where it has the point, else from npuc's Vela strategy,
 * which equals Vela's figures) beside FastestFit's, the smallest arena FastestFit fits per model and target, and
 * the points that break what FastestFit promises. One model's compiles share their schedules, as a sweep's do.
 */
final class ArenaSweepTable {
    /** An accelerator, system config and memory mode, with the strategy Vela is run with on it. */
    record TargetSpec(String accelerator, String system, String memoryMode, OptimizationStrategy velaStrategy) {
        String label() {
            return accelerator + " " + memoryMode;
        }
    }

    /**
     * One compile's figures.
     *
     * @param completed the compiler finished (Vela: exit 0)
     * @param sramKiB   sram_memory_used
     * @param source    where the figure comes from
     */
    record Figure(boolean completed, double cycles, double inferenceSeconds, double sramKiB, String source,
                  String error) {
        /** Completed within the arena: SRAM used no more than the arena cache size. */
        boolean fits(long arena) {
            return completed && sramKiB * 1024 <= arena;
        }
    }

    record Point(long arena, Figure vela, Figure ours) {
    }

    /** One model on one target over the sizes, with the smallest arena FastestFit fits. */
    record Line(String model, TargetSpec target, List<Point> points, MinimumArena minimum, long compileMillis) {
        /** The least SRAM Vela used where it completed, in bytes; -1 when it never completed. */
        long velaSmallestSram() {
            return Math.round(points.stream().filter(p -> p.vela().completed())
                    .mapToDouble(p -> p.vela().sramKiB() * 1024).min().orElse(-1));
        }
    }

    static final List<TargetSpec> STANDARD_TARGETS = List.of(
            new TargetSpec("ethos-u55-128", "Ethos_U55_High_End_Embedded", "Shared_Sram", OptimizationStrategy.Performance),
            new TargetSpec("ethos-u65-256", "Ethos_U65_High_End", "Dedicated_Sram", OptimizationStrategy.Performance),
            new TargetSpec("ethos-u55-64", "Ethos_U55_Deep_Embedded", "Sram_Only", OptimizationStrategy.Performance),
            new TargetSpec("ethos-u65-512", "Ethos_U65_Mid_End", "Dedicated_Sram_512KB", OptimizationStrategy.Performance),
            new TargetSpec("ethos-u55-256", "Ethos_U55_High_End_Embedded", "Shared_Sram", OptimizationStrategy.Size));

    /** The arena sizes of Vela's dse.csv: 32 KiB to 2 MiB. */
    static final long[] SIZES = {32768, 65536, 131072, 262144, 393216, 524288, 1048576, 2097152};

    private ArenaSweepTable() {
    }

    /**
     * @param reference rows in dse.csv's columns (model, accelerator_config, memory_mode, arena_cache_size,
     *                  vela_exit, vela_error, inference_time, sram_memory_used, cycles_total); may be empty
     */
    static Line run(Path modelFile, TargetSpec t, long[] sizes, List<Map<String, String>> reference) throws Exception {
        String model = Compiler.networkName(modelFile.getFileName().toString());
        Graph graph = TfliteReader.read(Files.readAllBytes(modelFile));
        SearchSpaces spaces = new SearchSpaces();
        List<Point> points = new ArrayList<>();
        MinimumArena minimum = null;
        long started = System.nanoTime();
        for (long arena : sizes) {
            Target target = Targets.resolve(new TargetOptions(t.accelerator(), t.system(), t.memoryMode(), null, arena));
            Figure vela = referenceFigure(reference, model, t, arena);
            if (vela == null) {
                vela = velaStrategy(model, graph, target, t.velaStrategy(), spaces);
            }
            CompileOptions options = CompileOptions.defaults().withStrategy(OptimizationStrategy.FastestFit)
                    .withReportMinimumArena(minimum == null);
            Figure ours;
            try {
                CompileResult r = Compiler.compile(model, graph, target, options, spaces);
                ours = figure(r, "npuc FastestFit");
                minimum = minimum == null ? r.minimumArena() : minimum;
                if (r.streams().isEmpty() && !r.schedule().subgraphs().isEmpty()) {
                    throw new AssertionError(model + " at " + arena + ": no command stream");
                }
                // The optimised model must read back (the writer leaves out models it cannot lay out).
                readBack(r, graph);
            } catch (ArenaTooSmallException e) {
                ours = new Figure(false, 0, 0, 0, "npuc FastestFit", e.getMessage());
                minimum = minimum == null ? e.minimum() : minimum;
            }
            points.add(new Point(arena, vela, ours));
        }
        return new Line(model, t, points, minimum, (System.nanoTime() - started) / 1_000_000);
    }

    private static void readBack(CompileResult r, Graph graph) throws Exception {
        byte[] written;
        try {
            written = r.optimisedModel(graph);
        } catch (npuc.tflite.OptimisedModelException e) {
            return;
        }
        TfliteReader.read(written);
    }

    private static Figure figure(CompileResult r, String source) {
        return new Figure(true, number(r, "cycles_total"), number(r, "inference_time"), number(r, "sram_memory_used"),
                source, "");
    }

    private static double number(CompileResult r, String column) {
        return ((Number) r.summary().get(column)).doubleValue();
    }

    /**
     * Vela's figure as npuc's Vela strategy computes it: where Vela stops on its staging-limit assertion npuc goes
     * on with the Size schedule and warns; that is Vela's failure.
     */
    private static Figure velaStrategy(String model, Graph graph, Target target, OptimizationStrategy strategy,
            SearchSpaces spaces) {
        try {
            CompileResult r = Compiler.compile(model, graph, target, CompileOptions.defaults().withStrategy(strategy),
                    spaces);
            if (r.warnings().stream().anyMatch(w -> w.contains("using the Size strategy's schedule"))) {
                return new Figure(false, 0, 0, 0, "npuc " + strategy, "Allocation exceeds staging limit");
            }
            return figure(r, "npuc " + strategy);
        } catch (BadInputException e) {
            return new Figure(false, 0, 0, 0, "npuc " + strategy, e.getMessage());
        }
    }

    private static Figure referenceFigure(List<Map<String, String>> rows, String model, TargetSpec t, long arena) {
        for (Map<String, String> row : rows) {
            if (row.get("model").equals(model) && row.get("accelerator_config").equals(t.accelerator())
                    && row.get("memory_mode").equals(t.memoryMode())
                    && row.getOrDefault("optimise", "Performance").equals(t.velaStrategy().name())
                    && Long.parseLong(row.get("arena_cache_size")) == arena) {
                if (!"0".equals(row.get("vela_exit"))) {
                    return new Figure(false, 0, 0, 0, "Vela 3.10", row.get("vela_error"));
                }
                return new Figure(true, Double.parseDouble(row.get("cycles_total")),
                        Double.parseDouble(row.get("inference_time")), Double.parseDouble(row.get("sram_memory_used")),
                        "Vela 3.10", "");
            }
        }
        return null;
    }

    /** What FastestFit promises, checked over the lines: each broken promise as a sentence. */
    static List<String> violations(List<Line> lines) {
        List<String> out = new ArrayList<>();
        for (Line line : lines) {
            String name = line.model() + " on " + line.target().label();
            List<Point> ps = line.points();
            for (int i = 1; i < ps.size(); i++) {
                Point a = ps.get(i - 1);
                Point b = ps.get(i);
                if (a.ours().completed() && (!b.ours().completed() || b.ours().cycles() > a.ours().cycles())) {
                    out.add(name + ": slower or not fitting at " + b.arena() + " bytes than at " + a.arena());
                }
            }
            for (Point p : ps) {
                if (p.vela().fits(p.arena()) && !p.ours().completed()) {
                    out.add(name + " at " + p.arena() + ": Vela fits, FastestFit does not: " + p.ours().error());
                }
                if (p.vela().fits(p.arena()) && p.ours().cycles() > p.vela().cycles() * (1 + 1e-9)) {
                    out.add(name + " at " + p.arena() + ": slower than Vela (" + p.ours().cycles() + " against "
                            + p.vela().cycles() + " cycles)");
                }
                if (p.ours().completed() && !p.ours().fits(p.arena())) {
                    out.add(name + " at " + p.arena() + ": FastestFit uses " + p.ours().sramKiB() + " KiB of SRAM");
                }
            }
            if (line.minimum() == null) {
                out.add(name + ": no minimum arena");
            } else if (line.velaSmallestSram() >= 0 && line.minimum().bytes() > line.velaSmallestSram()) {
                out.add(name + ": minimum arena " + line.minimum().bytes() + " bytes is above the least SRAM Vela used, "
                        + line.velaSmallestSram());
            }
        }
        return out;
    }

    /** Points where FastestFit fits and Vela does not. */
    static List<String> fitsWhereVelaDoesNot(List<Line> lines) {
        List<String> out = new ArrayList<>();
        for (Line line : lines) {
            for (Point p : line.points()) {
                if (p.ours().completed() && !p.vela().fits(p.arena())) {
                    out.add(line.model() + " on " + line.target().label() + " at " + p.arena() / 1024 + " KiB: Vela "
                            + (p.vela().completed() ? "uses " + p.vela().sramKiB() + " KiB" : p.vela().error()));
                }
            }
        }
        return out;
    }

    /** Vela's adjacent pairs where more SRAM is slower (both completed). */
    static int velaNonMonotonePairs(List<Line> lines) {
        int n = 0;
        for (Line line : lines) {
            List<Point> ps = line.points();
            for (int i = 1; i < ps.size(); i++) {
                Figure a = ps.get(i - 1).vela();
                Figure b = ps.get(i).vela();
                n += a.completed() && b.completed() && b.cycles() > a.cycles() ? 1 : 0;
            }
        }
        return n;
    }

    /** The table of points, then the minimum arenas, as Markdown. */
    static String markdown(List<Line> lines) {
        StringBuilder b = new StringBuilder();
        b.append("| model | target | arena KiB | Vela ms | Vela SRAM KiB | FastestFit ms | FastestFit SRAM KiB | "
                + "time vs Vela |\n|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (Line line : lines) {
            for (Point p : line.points()) {
                b.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %s | %s |%n", line.model(),
                        line.target().label(), p.arena() / 1024, ms(p.vela(), p.arena()), sram(p.vela()),
                        ms(p.ours(), p.arena()), sram(p.ours()), ratio(p)));
            }
        }
        b.append("\n| model | target | minimum arena KiB | fits from bytes | least SRAM Vela used KiB | "
                + "compile ms (8 sizes) |\n|---|---|---:|---:|---:|---:|\n");
        for (Line line : lines) {
            MinimumArena m = line.minimum();
            long v = line.velaSmallestSram();
            b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %d |%n", line.model(),
                    line.target().label(), m == null ? "-" : Long.toString(m.kib()),
                    m == null ? "-" : Long.toString(m.exact()),
                    v < 0 ? "never fits" : String.format(Locale.ROOT, "%.3f", v / 1024.0), line.compileMillis()));
        }
        return b.toString();
    }

    private static String ms(Figure f, long arena) {
        if (!f.completed()) {
            return "does not fit";
        }
        String t = String.format(Locale.ROOT, "%.4f", f.inferenceSeconds() * 1000);
        return f.fits(arena) ? t : t + " (over the arena)";
    }

    private static String sram(Figure f) {
        return f.completed() ? String.format(Locale.ROOT, "%.3f", f.sramKiB()) : "-";
    }

    private static String ratio(Point p) {
        if (!p.ours().completed() || !p.vela().completed()) {
            return "";
        }
        return String.format(Locale.ROOT, "%.4f", p.ours().cycles() / p.vela().cycles());
    }
}
