package npuc.listing;

import java.util.List;

import npuc.CompileResult;
import npuc.frontend.FrontEndResult.Kernel;
import npuc.schedule.Cascade;
import npuc.schedule.MemorySnapshot;
import npuc.schedule.OpSchedule;
import npuc.schedule.ScheduledOp;
import npuc.schedule.ScheduledSubgraph;
import npuc.schedule.SchedulerOperation;

/**
 * Vela's {@code --verbose-schedule}: for each NPU subgraph the chosen schedule, operation by operation (block
 * config, stripes, encoded weights and buffers, depth slices, cascade, fast storage in use), then its cascades.
 */
final class ScheduleListing {
    private ScheduleListing() {
    }

    static String of(CompileResult result) {
        StringBuilder s = new StringBuilder();
        for (ScheduledSubgraph sg : result.schedule().subgraphs()) {
            MemorySnapshot snapshot = sg.unplacedSnapshot(result.target());
            s.append("Schedule: '").append(sg.name()).append('_').append(sg.schedule().label()).append("'\n");
            for (ScheduledOp op : sg.ops()) {
                SchedulerOperation o = op.op();
                OpSchedule c = op.schedule();
                s.append('\t').append(o.index()).append(": Operation ").append(o.name()).append("  - OFM ")
                        .append(VelaText.shape4(o.ofm().shape())).append('\n');
                s.append("\t\tType: ").append(o.type().name()).append('\n');
                s.append("\t\tKernel: ").append(kernel(o.kernel())).append('\n');
                int[] block = c.blockConfig().oldStyle();
                s.append("\t\tBlock Config = ").append(PythonText.ints(List.of(block[0], block[1], block[2], block[3])))
                        .append('\n');
                s.append("\t\tOFM Block = ").append(VelaText.shape4(c.blockConfig().ofmBlock())).append('\n');
                s.append("\t\tIFM Stripe   = ").append(VelaText.shape4(c.stripeInput())).append('\n');
                s.append("\t\tIFM2 Stripe  = ").append(VelaText.shape4(c.stripeInput2())).append('\n');
                s.append("\t\tOFM Stripe   = ").append(VelaText.shape4(c.stripe())).append('\n');
                s.append("\t\tEncoded Weights = ").append(c.weights() == null ? "None" : c.weights().size())
                        .append(" bytes\n");
                for (int i = 0; i < c.weightBuffers().size(); i++) {
                    s.append("\t\tWeight buffer").append(i + 1).append(" = ").append(c.weightBuffers().get(i))
                            .append(" bytes\n");
                }
                s.append("\t\tDepth slices = ").append(PythonText.ints(c.depthSlices())).append('\n');
                s.append("\t\tAssigned Cascade = ").append(c.cascade()).append('\n');
                s.append("\t\tSRAM Used: ").append(snapshot.usageAt(o)).append(" bytes\n");
            }
            s.append("\tCascades:\n");
            List<Cascade> cascades = sg.cascades().stream()
                    .sorted((a, b) -> Integer.compare(a.end(), b.end())).toList();
            for (int i = 0; i < cascades.size(); i++) {
                Cascade cascade = cascades.get(i);
                s.append("\t\t").append(i).append(": ").append(cascade.start()).append(" -> ").append(cascade.end())
                        .append(", size: ").append(cascade.memUsage()).append('\n');
            }
        }
        return s.toString();
    }

    static String kernel(Kernel k) {
        return "w=" + k.width() + ", h=" + k.height() + ", stride=(" + k.strideX() + ", " + k.strideY()
                + "), dilation=(" + k.dilationX() + ", " + k.dilationY() + ")";
    }
}
