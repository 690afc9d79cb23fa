package npuc.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.openjdk.jmh.results.RunResult;

/**
 * The ratios of the benchmark results against Vela: Vela's seconds over npuc's for the same work (above 1:
 * npuc is faster), against the reference tables and against the releases run side by side here.
 */
final class Report {
    private final ReferenceRows summary;
    private final ReferenceRows standardSweep;
    private final ReferenceRows arenaSweep;
    private final VelaCommands velas;
    private final List<String> lines = new ArrayList<>();

    /** A report on the rows of {@code summary}, with sweeps over {@code standardSweep} and {@code arenaSweep}. */
    Report(ReferenceRows summary, ReferenceRows standardSweep, ReferenceRows arenaSweep, VelaCommands velas) {
        this.summary = summary;
        this.standardSweep = standardSweep;
        this.arenaSweep = arenaSweep;
        this.velas = velas;
    }

    /** Weights per second per model, against each installed Vela encoder on the same weights. */
    void encoding(Collection<RunResult> results, Path shared, List<String> models) throws Exception {
        Map<String, Map<String, Double>> vela = encoderRates(shared, models);
        lines.add("");
        lines.add("Weight encoding (million weights per second, one thread; ratio = npuc / Vela encoder)");
        lines.add(BenchMain.format("%-32s %10s %12s %10s %16s %8s %16s %8s", "model", "weights", "npuc ms",
                "npuc Mw/s", "vela-3.10 Mw/s", "ratio", "vela-5.1 Mw/s", "ratio"));
        for (RunResult r : results) {
            String model = r.getParams().getParam("model");
            double ms = r.getPrimaryResult().getScore();
            long weights = WeightWorkload.of(summary, model).weights();
            double rate = weights / (ms / 1e3) / 1e6;
            Map<String, Double> v = vela.getOrDefault(model, Map.of());
            lines.add(BenchMain.format("%-32s %10d %12.2f %10.1f %16s %8s %16s %8s", model, weights, ms, rate,
                    rateOrDash(v.get("vela-3.10")), ratioOrDash(rate, v.get("vela-3.10")),
                    rateOrDash(v.get("vela-5.1")), ratioOrDash(rate, v.get("vela-5.1"))));
        }
    }

    /** Warm compile per row, against Vela 3.10's seconds per process in summary.csv. */
    void compile(Collection<RunResult> results) {
        lines.add("");
        lines.add("Warm compile per model and target, one thread (ms; ratio = Vela 3.10's seconds in summary.csv "
                + "/ npuc's)");
        lines.add(BenchMain.format("%-32s %-14s %10s %10s %12s %8s", "model", "accelerator", "alone", "in sweep",
                "vela-3.10 s", "ratio"));
        Map<String, double[]> byRow = new LinkedHashMap<>();
        for (RunResult r : results) {
            String key = r.getParams().getParam("model") + " " + r.getParams().getParam("accelerator");
            double[] v = byRow.computeIfAbsent(key, k -> new double[] {Double.NaN, Double.NaN});
            v[r.getPrimaryResult().getLabel().equals("alone") ? 0 : 1] = r.getPrimaryResult().getScore();
        }
        Map<String, double[]> perModel = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : byRow.entrySet()) {
            String[] k = e.getKey().split(" ");
            double vela = summary.find(k[0], k[1]).map(ReferenceRows.Row::velaSeconds).orElse(Double.NaN);
            lines.add(BenchMain.format("%-32s %-14s %10.1f %10.1f %12.3f %8.1f", k[0], k[1], e.getValue()[0],
                    e.getValue()[1], vela, vela * 1e3 / e.getValue()[0]));
            double[] m = perModel.computeIfAbsent(k[0], x -> new double[2]);
            m[0] += e.getValue()[0];
            m[1]++;
        }
        growth(perModel);
    }

    /**
     * Compile time per model against its size: the mean of its targets' warm compiles beside its operator and
     * weight counts, and the time per operator and per thousand weights, which stay flat if time grows no faster
     * than linearly.
     */
    private void growth(Map<String, double[]> perModel) {
        lines.add("");
        lines.add("Compile time against model size (mean over the targets above)");
        lines.add(BenchMain.format("%-32s %10s %10s %10s %12s %14s", "model", "operators", "weights", "ms",
                "ms/operator", "ms/k weights"));
        for (Map.Entry<String, double[]> e : perModel.entrySet()) {
            ModelSize size = ModelSize.of(summary.shared(), e.getKey());
            double ms = e.getValue()[0] / e.getValue()[1];
            lines.add(BenchMain.format("%-32s %10d %10d %10.1f %12.3f %14.3f", e.getKey(), size.operators(),
                    size.weights(), ms, ms / size.operators(), size.weights() == 0 ? Double.NaN
                            : ms / (size.weights() / 1e3)));
        }
    }

    /** Sweeps in one JVM, against Vela two processes at a time: the reference's seconds halved, and measured. */
    void sweep(Collection<RunResult> results) throws Exception {
        lines.add("");
        lines.add("Sweeps in one JVM on " + Runtime.getRuntime().availableProcessors() + " cores (s; ratio = Vela "
                + BenchMain.VELA_PARALLEL + " processes at a time / npuc)");
        lines.add(BenchMain.format("%-18s %6s %10s %8s %18s %8s %18s %8s %18s %8s", "sweep", "rows", "npuc s", "±",
                "vela-3.10 ref s", "ratio", "vela-3.10 here s", "ratio", "vela-5.1 here s", "ratio"));
        for (RunResult r : results) {
            boolean standard = r.getPrimaryResult().getLabel().equals("standardTargets");
            ReferenceRows rows = standard ? standardSweep : arenaSweep;
            double npuc = r.getPrimaryResult().getScore() / 1e3;
            double error = r.getPrimaryResult().getScoreError() / 1e3;
            double reference = rows.velaSeconds() / BenchMain.VELA_PARALLEL;
            Path scratch = Files.createTempDirectory("npuc-bench-vela");
            Double v3 = null;
            Double v5 = null;
            for (VelaCommands.Release release : velas.installed()) {
                VelaCommands.Run run = VelaCommands.run(release, rows, BenchMain.VELA_PARALLEL, scratch);
                if (release.name().equals("vela-3.10")) {
                    v3 = run.wallSeconds();
                } else {
                    v5 = run.wallSeconds();
                }
            }
            lines.add(BenchMain.format("%-18s %6d %10.3f %8.3f %18.1f %8.1f %18s %8s %18s %8s",
                    standard ? "standard targets" : "arena sizes", rows.rows().size(), npuc, error, reference,
                    reference / npuc, secondsOrDash(v3), ratioOrDash(v3, npuc), secondsOrDash(v5),
                    ratioOrDash(v5, npuc)));
        }
    }

    void print(PrintStream out) {
        lines.forEach(out::println);
        if (velas.installed().isEmpty()) {
            out.println();
            out.println("No Vela installed for side-by-side figures: set NPUC_VELA and NPUC_VELA5 "
                    + "(or -Dnpuc.vela, -Dnpuc.vela5) to their commands.");
        }
    }

    /** Million weights per second of each installed Vela encoder, by model. */
    private Map<String, Map<String, Double>> encoderRates(Path shared, List<String> models) throws Exception {
        Map<String, Map<String, Double>> rates = new LinkedHashMap<>();
        List<String> roots = new ArrayList<>();
        velas.vela3().flatMap(VelaCommands.Release::home).ifPresent(h -> roots.addAll(List.of("--vela3-root",
                h.toString())));
        velas.vela5().flatMap(VelaCommands.Release::home).ifPresent(h -> roots.addAll(List.of("--vela5-root",
                h.toString())));
        if (roots.isEmpty()) {
            return rates;
        }
        Path driver = BenchMain.encoderDriver();
        Pattern line = Pattern.compile("\"encoder\": \"(vela-[0-9.]+)[^\"]*\".*\"weights_per_second\": ([0-9.eE+-]+)");
        for (Map.Entry<String, Path> w : BenchMain.writeWorkloads(shared, models).entrySet()) {
            List<String> command = BenchMain.pythonCommand();
            command.addAll(List.of(driver.toString(), "--workload", w.getValue().toString()));
            command.addAll(roots);
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            Map<String, Double> byEncoder = new LinkedHashMap<>();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String s = in.readLine(); s != null; s = in.readLine()) {
                    Matcher m = line.matcher(s);
                    if (m.find()) {
                        byEncoder.put(m.group(1), Double.parseDouble(m.group(2)) / 1e6);
                    } else if (s.contains("\"error\"")) {
                        lines.add("Vela encoder not timed on " + w.getKey() + ": " + s);
                    }
                }
            }
            p.waitFor();
            rates.put(w.getKey(), byEncoder);
        }
        return rates;
    }

    private static String rateOrDash(Double rate) {
        return rate == null ? "-" : BenchMain.format("%.1f", rate);
    }

    private static String secondsOrDash(Double seconds) {
        return seconds == null ? "-" : BenchMain.format("%.1f", seconds);
    }

    private static String ratioOrDash(Double numerator, Double denominator) {
        return numerator == null || denominator == null ? "-" : BenchMain.format("%.1f", numerator / denominator);
    }
}
