package npuc.listing;

import java.util.List;

import npuc.CompileResult;
import npuc.codegen.Box;
import npuc.codegen.Command;
import npuc.codegen.CommandStream;
import npuc.codegen.HighLevelCommand;
import npuc.codegen.HighLevelCommandStream;
import npuc.frontend.FrontEndResult.TensorInfo;
import npuc.frontend.Shape4;
import npuc.frontend.TensorPurpose;
import npuc.schedule.ScheduledSubgraph;

/**
 * Vela's {@code --verbose-high-level-command-stream} (the stripes and DMAs of each NPU subgraph) and
 * {@code --verbose-register-command-stream} (each command word with its payload, then the counts).
 */
final class CommandStreamListing {
    private CommandStreamListing() {
    }

    static String highLevel(CompileResult result, int subgraph) {
        ScheduledSubgraph sg = result.schedule().subgraphs().get(subgraph);
        List<HighLevelCommand> commands = HighLevelCommandStream.of(sg, result.target());
        StringBuilder s = new StringBuilder("print_high_level_command_stream() ").append(sg.name()).append('\n');
        for (int i = 0; i < commands.size(); i++) {
            s.append(String.format("%3d %s%n", i, describe(commands.get(i))));
        }
        return s.toString();
    }

    private static String describe(HighLevelCommand c) {
        String name = c.op().op().name();
        if (c instanceof HighLevelCommand.NpuStripe st) {
            String weights = st.op().schedule().weights() == null ? "None"
                    : box(new Box(new Shape4(0, 0, 0, st.weightDepthStart()), new Shape4(1, 1, 1, st.weightDepthEnd())));
            int[] b = st.op().schedule().blockConfig().oldStyle();
            return "<NpuStripe: name=" + name + ", ifm_box=" + box(st.ifmBox()) + ", ifm2_box="
                    + (st.ifm2Box() == null ? "<Box [] - []>" : box(st.ifm2Box())) + ", ofm_box=" + box(st.ofmBox())
                    + ", weight_box=" + weights + ", block_config="
                    + PythonText.ints(List.of(b[0], b[1], b[2], b[3])) + ">";
        }
        if (c instanceof HighLevelCommand.WeightDma w) {
            String weights = w.op().op().primary().weights().name();
            int end = nextSliceEnd(w);
            return "<DMA: name=" + name + ", in=" + weights + "_npu_npu_encoded_weights, out=" + weights + "_npu_buffer"
                    + (w.buffer() == 0 ? "" : String.valueOf(w.buffer() + 1)) + " box="
                    + box(new Box(new Shape4(0, 0, 0, w.depthStart()), new Shape4(1, 1, 1, end))) + ">";
        }
        if (c instanceof HighLevelCommand.LutDma l) {
            TensorInfo lut = l.op().op().pass().inputs().stream().filter(t -> t.purpose() == TensorPurpose.LUT)
                    .findFirst().orElse(null);
            if (lut == null) {
                return "<DMA: name=" + name + ", in=None, out=None box=<Box [] - []>>";
            }
            Shape4 shape = lut.shape4();
            return "<DMA: name=" + name + ", in=" + lut.name() + "_npu, out=" + lut.name() + "_npu_shram box="
                    + box(new Box(new Shape4(0, 0, 0, 0), shape)) + ">";
        }
        HighLevelCommand.FeatureMapDma f = (HighLevelCommand.FeatureMapDma) c;
        return "<DMA: name=" + name + ", in=" + f.op().op().ifm().tensor().name() + ", out="
                + f.op().op().ofm().tensor().name() + " box=<Box [] - []>>";
    }

    /** The end of the depth slice a weight DMA starts, from the operation's depth slices. */
    private static int nextSliceEnd(HighLevelCommand.WeightDma w) {
        List<Integer> slices = w.op().schedule().depthSlices();
        for (int i = 0; i + 1 < slices.size(); i++) {
            if (slices.get(i) == w.depthStart()) {
                return slices.get(i + 1);
            }
        }
        return slices.get(slices.size() - 1);
    }

    private static String box(Box b) {
        return "<Box " + PythonText.ints(List.of(b.start().batch(), b.start().height(), b.start().width(),
                b.start().depth())) + " - " + PythonText.ints(List.of(b.end().batch(), b.end().height(),
                b.end().width(), b.end().depth())) + ">";
    }

    static String register(CompileResult result, int subgraph) {
        CommandStream stream = result.streams().get(subgraph);
        StringBuilder s = new StringBuilder("Register-Level Command Stream: Output\n");
        s.append(String.format("  %-6s: %-8s%-4s %-4s - %-30s %-5s%n", "Offset", "Payload", "Param", "Code", "Command",
                "Param"));
        int offset = 0;
        List<Command> commands = stream.commands();
        for (Command c : commands) {
            int code = c.command().code() & 0xFFFF;
            String payload = c.command().hasPayload() ? String.format("%08x", c.payload()) : " ".repeat(8);
            String prefix = c.command().hasPayload() ? "cmd1." : "cmd0.";
            s.append(String.format("%#08x: %s %04x %04x - %-30s %5d%n", offset, payload, c.param(), code,
                    prefix + c.command().name(), c.param()));
            offset += c.size() * 4;
        }
        s.append("Number of commands = ").append(commands.size()).append('\n');
        s.append("Command stream length = ").append(offset).append(" bytes\n");
        return s.toString();
    }
}
