package npuc.search;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import npuc.SharedData;
import npuc.schedule.OptimizationStrategy;

/**
 * FastestFit over arena sizes against Vela: on Vela's own arena sweep (dse.csv, 64 points) in every build, and over
 * the models of ../shared on the five standard targets at the same eight sizes when asked for
 * ({@code -Dnpuc.fastestfit.grid=standard}; optionally {@code -Dnpuc.fastestfit.vela=FILE}, Vela's figures for
 * those points in dse.csv's columns, else npuc's Vela strategies stand in for Vela). Each writes its table to
 * {@code target/fastestfit/}.
 */
class FastestFitSweepTest {

    @Test
    void velasArenaSweep() throws Exception {
        Path csv = SharedData.referenceDir().resolve("dse.csv");
        assumeTrue(Files.isRegularFile(csv), "skipped: " + csv + " is absent");
        List<Map<String, String>> rows = SharedData.readCsv(csv);
        Map<String, ArenaSweepTable.TargetSpec> targets = new LinkedHashMap<>();
        Map<String, String> models = new LinkedHashMap<>();
        for (Map<String, String> row : rows) {
            String key = row.get("model") + " " + row.get("accelerator_config") + " " + row.get("memory_mode");
            targets.put(key, new ArenaSweepTable.TargetSpec(row.get("accelerator_config"), row.get("system_config"),
                    row.get("memory_mode"), OptimizationStrategy.valueOf(row.get("optimise"))));
            models.put(key, row.get("model"));
        }
        List<ArenaSweepTable.Line> lines = new ArrayList<>();
        for (var e : targets.entrySet()) {
            Path model = SharedData.modelsDir().resolve(models.get(e.getKey()) + ".tflite");
            lines.add(ArenaSweepTable.run(model, e.getValue(), ArenaSweepTable.SIZES, rows));
        }
        report(lines, "dse");
    }

    @Test
    void standardTargetsOverTheSharedModels() throws Exception {
        assumeTrue("standard".equals(System.getProperty("npuc.fastestfit.grid")),
                "skipped: the 13 models x 5 targets x 8 sizes take minutes; run with -Dnpuc.fastestfit.grid=standard");
        String velaFile = System.getProperty("npuc.fastestfit.vela");
        List<Map<String, String>> reference = velaFile == null ? List.of() : SharedData.readCsv(Path.of(velaFile));
        List<ArenaSweepTable.Line> lines = new ArrayList<>();
        for (Path model : SharedData.models()) {
            for (ArenaSweepTable.TargetSpec t : ArenaSweepTable.STANDARD_TARGETS) {
                lines.add(ArenaSweepTable.run(model, t, ArenaSweepTable.SIZES, reference));
            }
        }
        report(lines, "standard");
    }

    private static void report(List<ArenaSweepTable.Line> lines, String name) throws Exception {
        String table = ArenaSweepTable.markdown(lines);
        List<String> broken = ArenaSweepTable.violations(lines);
        List<String> gained = ArenaSweepTable.fitsWhereVelaDoesNot(lines);
        StringBuilder text = new StringBuilder(table).append('\n')
                .append("Vela's adjacent pairs slower with more SRAM: ").append(ArenaSweepTable.velaNonMonotonePairs(lines))
                .append("\nFits where Vela does not (").append(gained.size()).append("):\n");
        gained.forEach(g -> text.append("- ").append(g).append('\n'));
        text.append("Broken promises (").append(broken.size()).append("):\n");
        broken.forEach(v -> text.append("- ").append(v).append('\n'));
        Path out = SharedData.repositoryRoot().resolve("compiler/target/fastestfit");
        Files.createDirectories(out);
        Files.writeString(out.resolve(name + ".md"), text);
        System.out.println(text);
        assertTrue(broken.isEmpty(), text::toString);
    }
}
