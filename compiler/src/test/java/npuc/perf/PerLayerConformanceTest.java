package npuc.perf;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import npuc.CompileOptions;
import npuc.CompileResult;
import npuc.Compiler;
import npuc.SharedData;
import npuc.arch.TargetOptions;
import npuc.arch.Targets;
import npuc.schedule.ScheduledOp;
import npuc.schedule.ScheduledSubgraph;
import npuc.tflite.TfliteReader;

/**
 * Compares npuc's per-operation cycles with Vela's {@code --verbose-performance} tables, row by row, and asserts
 * how many operations are within 5% (or print as the same whole number of cycles).
 */
class PerLayerConformanceTest {

    @ParameterizedTest
    @CsvSource({
        "person_detect, ethos-u55-128, Ethos_U55_High_End_Embedded, Shared_Sram, 60",
        "person_detect, ethos-u65-256, Ethos_U65_High_End, Dedicated_Sram, 60",
        "mobilenet_v2_1.0_224_quant, ethos-u55-128, Ethos_U55_High_End_Embedded, Shared_Sram, 95",
        "mobilenet_v2_1.0_224_quant, ethos-u65-256, Ethos_U65_High_End, Dedicated_Sram, 95"})
    void opCyclesAgainstVela(String model, String accelerator, String system, String memory, int floor)
            throws Exception {
        Path table = SharedData.referenceDir().resolve("per-layer")
                .resolve(model + "__" + accelerator + "__" + system + "__" + memory + ".txt");
        assumeTrue(Files.isRegularFile(table), "skipped: " + table + " is absent");
        List<Double> vela = opCycles(Files.readAllLines(table));
        Path file = SharedData.modelsDir().resolve(model + ".tflite");
        assumeTrue(Files.isRegularFile(file), "skipped: model absent " + file);
        CompileResult r = Compiler.compile(model, TfliteReader.read(Files.readAllBytes(file)),
                Targets.resolve(TargetOptions.of(accelerator, system, memory)), CompileOptions.defaults());
        List<ScheduledOp> ours = new ArrayList<>();
        for (ScheduledSubgraph sg : r.schedule().subgraphs()) {
            ours.addAll(sg.ops());
        }
        assertTrue(ours.size() == vela.size(), "operations: npuc " + ours.size() + ", Vela " + vela.size());
        int within = 0;
        StringBuilder report = new StringBuilder();
        for (int i = 0; i < vela.size(); i++) {
            double mine = ours.get(i).performance().cycles(CycleKind.TOTAL);
            double ratio = vela.get(i) == 0 ? (mine == 0 ? 1 : Double.POSITIVE_INFINITY) : mine / vela.get(i);
            // Vela prints whole cycles, so a few-cycle operation is also right when it prints the same.
            boolean ok = Math.abs(ratio - 1) <= 0.05 || printed(mine) == vela.get(i);
            within += ok ? 1 : 0;
            report.append(String.format(Locale.ROOT, "%3d %-22s %12.0f %12.0f %7.3f %s%n", i,
                    ours.get(i).op().type(), mine, vela.get(i), ratio, ok ? "" : "<"));
        }
        report.append(String.format(Locale.ROOT, "%s %s: %d of %d operations within 5%% of Vela%n", model,
                accelerator, within, vela.size()));
        System.out.println(report);
        assertTrue(within >= floor, report::toString);
    }

    /** The value as Vela's table prints it: rounded half to even to a whole number. */
    static double printed(double cycles) {
        return new java.math.BigDecimal(cycles).setScale(0, java.math.RoundingMode.HALF_EVEN).doubleValue();
    }

    /** The "Op Cycles" column of every table row (after each header and dashes line). */
    static List<Double> opCycles(List<String> lines) {
        List<Double> out = new ArrayList<>();
        boolean inTable = false;
        for (String line : lines) {
            if (line.startsWith("TFLite_operator")) {
                continue;
            }
            if (line.startsWith("--------------------")) {
                inTable = true;
                continue;
            }
            if (inTable && line.isBlank()) {
                inTable = false;
                continue;
            }
            if (inTable) {
                // Fixed columns: operator (20) and NNG operator (20), then right-aligned numbers.
                String[] fields = line.substring(42).trim().split("\\s+");
                out.add(Double.parseDouble(fields[2]));
            }
        }
        return out;
    }
}
