package npuc.listing;

import java.util.ArrayList;
import java.util.List;

import npuc.CompileResult;
import npuc.arch.MemoryArea;
import npuc.arch.MemoryType;
import npuc.frontend.FrontEndResult.PassInfo;
import npuc.frontend.FrontEndResult.SubgraphPlan;
import npuc.frontend.FrontEndResult.TensorInfo;
import npuc.frontend.PassPlacement;
import npuc.graph.Graph;
import npuc.graph.Subgraph;
import npuc.graph.Tensor;
import npuc.report.PythonFloat;

/**
 * Vela's {@code --show-subgraph-io-summary}: each subgraph, last first, with its input, scratch and output tensors
 * and their sizes in KiB, the SRAM it uses, and the largest subgraph's total. An NPU subgraph's tensors carry
 * Vela's names for the NPU side of the cut: {@code _npu} on inputs, {@code _cpu} on outputs.
 */
public final class SubgraphIoSummary {
    private SubgraphIoSummary() {
    }

    private record Entry(String direction, String name, double kib) {
    }

    public static String of(CompileResult result, Graph model) {
        StringBuilder s = new StringBuilder();
        s.append("Subgraph IO Summary\n");
        s.append("-------------------\n");
        s.append("NNG: ").append(result.networkName()).append('\n');
        double largest = 0;
        List<SubgraphPlan> subgraphs = result.frontEnd().subgraphs();
        for (int i = subgraphs.size() - 1; i >= 0; i--) {
            SubgraphPlan sg = subgraphs.get(i);
            List<Entry> entries = new ArrayList<>();
            double sram;
            if (sg.placement() == PassPlacement.NPU) {
                PassInfo call = result.frontEnd().callOf(sg);
                for (TensorInfo t : call.inputs()) {
                    entries.add(new Entry("In", t.name() + "_npu", kib(t)));
                }
                entries.add(new Entry("In/Out", sg.name() + "_scratch",
                        result.arena().size(MemoryType.SCRATCH) / 1024.0));
                for (TensorInfo t : call.outputs()) {
                    entries.add(new Entry("Out", t.name() + "_cpu", kib(t)));
                }
                sram = 0;
            } else {
                Subgraph root = model.subgraphs().get(0);
                for (int index : root.inputs()) {
                    Tensor t = root.tensors().get(index);
                    if (!t.variable()) {
                        entries.add(new Entry("In", t.name(), kib(t)));
                    }
                }
                for (int index : root.outputs()) {
                    Tensor t = root.tensors().get(index);
                    entries.add(new Entry("Out", t.name(), kib(t)));
                }
                sram = result.arena().used(MemoryArea.SRAM) / 1024.0;
            }
            s.append("  NNG Subgraph: ").append(sg.name()).append(" = PassPlacement.")
                    .append(sg.placement() == PassPlacement.NPU ? "Npu" : "Cpu").append('\n');
            double total = 0;
            for (Entry e : entries) {
                total += e.kib();
                s.append("         Tensor [").append(e.direction()).append("]: ").append(e.name()).append(" = ")
                        .append(PythonFloat.repr(e.kib())).append(" KiB\n");
            }
            s.append("      Total Size = ").append(PythonFloat.repr(total)).append(" KiB\n");
            s.append("      SRAM Memory Used = ").append(PythonFloat.repr(sram)).append(" KiB\n");
            largest = Math.max(largest, total);
        }
        s.append("   Maximum NNG Subgraph Size = ").append(PythonFloat.repr(largest)).append(" KiB\n");
        return s.toString();
    }

    private static double kib(TensorInfo t) {
        long elements = 1;
        for (int d : t.shape()) {
            elements *= d;
        }
        return elements * t.type().bytes() / 1024.0;
    }

    private static double kib(Tensor t) {
        return t.elementCount() * t.type().bytes() / 1024.0;
    }
}
