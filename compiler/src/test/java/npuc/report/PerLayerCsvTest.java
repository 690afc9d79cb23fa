package npuc.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import npuc.CompileOptions;
import npuc.CompileResult;
import npuc.Compiler;
import npuc.arch.TargetOptions;
import npuc.arch.Targets;
import npuc.perf.CycleKind;
import npuc.schedule.ScheduledOp;
import npuc.schedule.ScheduledSubgraph;
import npuc.tflite.ModelBuilder;

/** The per-layer CSV holds the printed table's rows with their figures unrounded, one heading per NPU subgraph. */
class PerLayerCsvTest {

    @Test
    void everyScheduledOperationIsARowWithItsCycles() throws Exception {
        CompileResult result = Compiler.compile("mobilenet_block", ModelBuilder.mobileNetBlock().build(),
            Targets.resolve(TargetOptions.of("ethos-u55-128", "Ethos_U55_High_End_Embedded", "Shared_Sram")),
            CompileOptions.defaults());

        List<String> lines = PerLayerTable.csv(result.schedule(), result.target()).lines().toList();

        List<String> expected = new ArrayList<>();
        for (ScheduledSubgraph sg : result.schedule().subgraphs()) {
            expected.add("TFLite_operator,NNG Operator,SRAM Usage,Peak%,Op Cycles,Network%,NPU,SRAM AC,DRAM AC,"
                + "OnFlash AC,OffFlash AC,MAC Count,Network%,Util%,Name");
            for (ScheduledOp op : sg.ops()) {
                expected.add(op.op().name() + " " + op.memoryUsage() + " "
                    + PythonFloat.repr(op.performance().cycles(CycleKind.TOTAL)) + " " + op.performance().macs());
            }
        }
        List<String> actual = new ArrayList<>();
        for (String line : lines) {
            String[] cells = line.split(",", -1);
            actual.add(cells[0].equals("TFLite_operator") ? line
                : cells[14] + " " + cells[2] + " " + cells[4] + " " + cells[11]);
        }
        assertEquals(expected, actual);
    }
}
