package npuc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import npuc.SharedData;
import npuc.sweep.PointResult;
import npuc.sweep.PointStatus;
import npuc.sweep.SweepCsv;
import npuc.tflite.ModelBuilder;
import npuc.worker.ModelBytes;
import npuc.worker.PipelineCompiler;
import npuc.worker.TargetCompiler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SweepCommandTest {
    static final String U55 = "ethos-u55-128:Ethos_U55_High_End_Embedded:Shared_Sram";
    static final String U65_SIZE = "ethos-u65-256:Ethos_U65_High_End:Dedicated_Sram:Size";

    @TempDir
    Path dir;

    record Run(int exitCode, String out, String err) {
    }

    /** Runs a command as the command line does, with a compiler that counts its compiles. */
    static Run run(TargetCompiler compiler, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine(compiler);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** The two built example models the sweep tests compile, in a folder. */
    static Path builtModels(Path dir) throws Exception {
        Path models = Files.createDirectories(dir.resolve("models"));
        Files.write(models.resolve("kws.tflite"), ModelBuilder.keywordSpotting().toBytes());
        Files.write(models.resolve("mobilenet_block.tflite"), ModelBuilder.mobileNetBlock().toBytes());
        return models;
    }

    static final class CountingCompiler implements TargetCompiler {
        final PipelineCompiler compiler = new PipelineCompiler();
        final AtomicInteger compiles = new AtomicInteger();

        @Override
        public npuc.worker.TargetOutcome compile(ModelBytes model, npuc.worker.TargetSpec target,
                npuc.Cancellation cancellation) throws npuc.BadInputException {
            compiles.incrementAndGet();
            return compiler.compile(model, target, cancellation);
        }
    }

    @Test
    void aLocalSweepWritesEveryPointWithTheFiguresCompileGives() throws Exception {
        Path models = builtModels(dir);
        Path out = dir.resolve("sweep");
        CountingCompiler compiler = new CountingCompiler();

        Run r = run(compiler, "sweep", "--models", models.toString(), "--target", U55, "--target", U65_SIZE,
            "--arena-sizes", "64KiB,256KiB", "--output-dir", out.toString());

        assertEquals(0, r.exitCode(), r.err() + r.out());
        assertEquals(8, compiler.compiles.get());
        assertTrue(r.out().contains("sweep: 8 points (8 run here"), r.out());
        List<PointResult> rows = SweepCsv.read(out.resolve("sweep.csv"));
        assertEquals(8, rows.size());
        String kwsSha = ModelBytes.of("kws", Files.readAllBytes(models.resolve("kws.tflite"))).sha256();
        for (PointResult row : rows) {
            assertEquals(PointStatus.OK, row.status(), row.toString());
            assertFalse(row.npucVersion().isEmpty());
            if (row.key().model().equals("kws")) {
                assertEquals(kwsSha, row.modelSha256());
            }
        }
        // Each point's figures are the ones `compile` writes for that model, target and arena size.
        for (PointResult row : List.of(rows.get(0), rows.get(3), rows.get(6))) {
            String[] t = row.key().target().split(":");
            Path compiled = dir.resolve("compiled-" + row.key().fileName());
            Run c = run(compiler, "compile", models.resolve(row.key().model() + ".tflite").toString(),
                "--accelerator-config", t[0], "--system-config", t[1], "--memory-mode", t[2],
                "--optimise", row.key().strategy(), "--arena-cache-size", Long.toString(row.key().arenaSize()),
                "--output-dir", compiled.toString());
            assertEquals(0, c.exitCode(), c.err());
            Map<String, String> summary = SharedData.readCsv(
                compiled.resolve(row.key().model() + "_summary_" + t[1] + ".csv")).get(0);
            summary.forEach((column, value) -> assertEquals(value, row.metrics().get(column), row.key() + " " + column));
        }
        JsonNode json = new ObjectMapper().readTree(out.resolve("sweep.json").toFile());
        assertEquals(8, json.get("points").size());
        assertEquals(rows.get(0).metric("cycles_total").getAsDouble(),
            json.get("points").get(0).get("metrics").get("cycles_total").asDouble());
    }

    @Test
    void velasCurveBesideTheSearchsWithTheSmallestArena() throws Exception {
        Path models = builtModels(dir);
        Path out = dir.resolve("sweep");
        Run r = run(new CountingCompiler(), "sweep", "--models", models.resolve("kws.tflite").toString(), "--target",
            U55, "--target", U65_SIZE, "--optimise", "own,FastestFit", "--arena-sizes", "16KiB,64KiB,256KiB",
            "--output-dir", out.toString());
        assertEquals(0, r.exitCode(), r.err() + r.out());
        List<PointResult> rows = SweepCsv.read(out.resolve("sweep.csv"));
        assertEquals(List.of("Performance", "FastestFit", "Size"),
            rows.stream().map(p -> p.key().strategy()).distinct().sorted((a, b) -> order(a) - order(b)).toList());
        for (PointResult row : rows) {
            boolean searched = row.key().strategy().equals("FastestFit");
            assertEquals(searched, row.metric(PipelineCompiler.MIN_ARENA).isPresent(), row.toString());
            if (searched && row.status() == PointStatus.OK) {
                PointResult vela = rows.stream().filter(v -> !v.key().strategy().equals("FastestFit")
                    && v.key().target().equals(row.key().target()) && v.key().arenaSize() == row.key().arenaSize())
                    .findFirst().orElseThrow();
                assertTrue(vela.status() != PointStatus.OK || row.metric("cycles_total").getAsDouble()
                    <= vela.metric("cycles_total").getAsDouble(), row + " against " + vela);
            }
        }
        String report = Files.readString(out.resolve("report.html"));
        assertTrue(report.contains("\"strategy\":\"FastestFit\"") && report.contains("\"min_arena_kib\""));
    }

    private static int order(String strategy) {
        return List.of("Performance", "FastestFit", "Size").indexOf(strategy);
    }

    @Test
    void aSecondRunKeepsWhatIsDoneAndRunsOnlyWhatIsNew() throws Exception {
        Path models = builtModels(dir);
        Path out = dir.resolve("sweep");
        CountingCompiler first = new CountingCompiler();
        assertEquals(0, run(first, "sweep", "--models", models.toString(), "--target", U55, "--arena-sizes", "64KiB",
            "--output-dir", out.toString()).exitCode());
        List<PointResult> before = SweepCsv.read(out.resolve("sweep.csv"));

        CountingCompiler again = new CountingCompiler();
        Run same = run(again, "sweep", "--models", models.toString(), "--target", U55, "--arena-sizes", "64KiB",
            "--output-dir", out.toString());
        assertEquals(0, same.exitCode(), same.err());
        assertEquals(0, again.compiles.get(), "nothing compiled twice");
        assertTrue(same.out().contains("2 kept from an earlier run"), same.out());
        assertEquals(before, SweepCsv.read(out.resolve("sweep.csv")));

        CountingCompiler more = new CountingCompiler();
        Run wider = run(more, "sweep", "--models", models.toString(), "--target", U55, "--arena-sizes", "64KiB,128KiB",
            "--output-dir", out.toString());
        assertEquals(0, wider.exitCode(), wider.err());
        assertEquals(2, more.compiles.get(), "only the new size");
        assertEquals(4, SweepCsv.read(out.resolve("sweep.csv")).size());

        CountingCompiler otherOptions = new CountingCompiler();
        run(otherOptions, "sweep", "--models", models.toString(), "--target", U55, "--arena-sizes", "64KiB,128KiB",
            "--option", "tensor-allocator=Greedy", "--output-dir", out.toString());
        assertEquals(4, otherOptions.compiles.get(), "points compiled with other options are not done");
    }

    @Test
    void theReportHoldsEveryCurveAndTheChartLibrary() throws Exception {
        Path models = builtModels(dir);
        Path out = dir.resolve("sweep");
        assertEquals(0, run(new CountingCompiler(), "sweep", "--models", models.toString(), "--target", U55,
            "--target", U65_SIZE, "--arena-sizes", "32KiB..128KiB*2", "--output-dir", out.toString()).exitCode());

        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("Apache ECharts") || html.contains("echarts"), "the library is inlined");
        assertFalse(html.contains("<script src="), "nothing is loaded from elsewhere");
        String json = html.substring(html.indexOf("<script type=\"application/json\" id=\"sweep-data\">")
            + "<script type=\"application/json\" id=\"sweep-data\">".length());
        JsonNode data = new ObjectMapper().readTree(json.substring(0, json.indexOf("</script>")));
        assertEquals(4, data.get("panels").size(), "two models × two targets");
        List<String> strategies = new ArrayList<>();
        for (JsonNode panel : data.get("panels")) {
            JsonNode curve = panel.get("curves").get(0);
            strategies.add(curve.get("strategy").asText());
            assertEquals(3, curve.get("points").size());
            assertEquals(32.0, curve.get("points").get(0).get("arena_kib").asDouble());
        }
        assertTrue(strategies.contains("Size") && strategies.contains("Performance"), strategies.toString());
    }

    @Test
    void crossedListsSkipTheCombinationsTheCompilerDoesNotKnow() throws Exception {
        Path models = builtModels(dir);
        Run r = run(new CountingCompiler(), "sweep", "--models", models.resolve("kws.tflite").toString(),
            "--accelerator", "ethos-u55-128,ethos-u65-256", "--system-config", "Ethos_U55_High_End_Embedded",
            "--memory-mode", "Shared_Sram,No_Such_Mode", "--optimise", "Performance,Size",
            "--output-dir", dir.resolve("sweep").toString());

        assertTrue(r.err().contains("skipping ethos-u55-128:Ethos_U55_High_End_Embedded:No_Such_Mode"), r.err());
        List<PointResult> rows = SweepCsv.read(dir.resolve("sweep").resolve("sweep.csv"));
        assertTrue(rows.stream().noneMatch(p -> p.key().target().contains("No_Such_Mode")));
        assertTrue(rows.stream().anyMatch(p -> p.key().strategy().equals("Size")));
        assertTrue(rows.stream().anyMatch(p -> p.key().strategy().equals("Performance")));
    }

    @Test
    void badInputIsAClearErrorBeforeAnythingRuns() throws Exception {
        Path models = builtModels(dir);
        CountingCompiler compiler = new CountingCompiler();
        Run sizes = run(compiler, "sweep", "--models", models.toString(), "--arena-sizes", "32KiB..2MiB");
        assertEquals(2, sizes.exitCode());
        assertTrue(sizes.err().contains("needs a step"), sizes.err());
        Run missing = run(compiler, "sweep", "--models", dir.resolve("absent").toString());
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().contains("no such file or folder"), missing.err());
        Run target = run(compiler, "sweep", "--models", models.toString(), "--target", "ethos-u99:x:y");
        assertEquals(1, target.exitCode());
        assertTrue(target.err().contains("ethos-u99"), target.err());
        Run strategy = run(compiler, "sweep", "--models", models.toString(), "--optimise", "Fastest");
        assertEquals(2, strategy.exitCode());
        assertEquals(0, compiler.compiles.get());
    }

    @Test
    void aModelThatDoesNotFitASmallArenaIsACleanPointOfTheSweep() throws Exception {
        Path model = SharedData.modelsDir().resolve("mobilenet_v1_0.25_128_quant.tflite");
        Path out = dir.resolve("sweep");

        Run r = run(new CountingCompiler(), "sweep", "--models", model.toString(), "--target", U55,
            "--arena-sizes", "32KiB,128KiB", "--output-dir", out.toString());

        assertEquals(0, r.exitCode(), "a clean does-not-fit is no failure: " + r.err() + r.out());
        List<PointResult> rows = SweepCsv.read(out.resolve("sweep.csv"));
        assertEquals(PointStatus.DOES_NOT_FIT, rows.get(0).status());
        assertTrue(rows.get(0).error().contains("does not fit: it needs"), rows.get(0).error());
        assertEquals(PointStatus.OK, rows.get(1).status());
        assertTrue(r.out().contains("128KiB"), "the smallest arena that fits is printed: " + r.out());
    }

    @Test
    void theSearchsRefusalOfASmallArenaIsACleanPointToo() throws Exception {
        Path model = SharedData.modelsDir().resolve("mobilenet_v1_0.25_128_quant.tflite");
        Path out = dir.resolve("sweep");

        Run r = run(new CountingCompiler(), "sweep", "--models", model.toString(), "--target", U55,
            "--optimise", "FastestFit", "--arena-sizes", "32KiB", "--output-dir", out.toString());

        assertEquals(0, r.exitCode(), r.err() + r.out());
        PointResult row = SweepCsv.read(out.resolve("sweep.csv")).get(0);
        assertEquals(PointStatus.DOES_NOT_FIT, row.status(), row.error());
        assertTrue(row.error().contains("the smallest that fits is"), row.error());
    }
}
