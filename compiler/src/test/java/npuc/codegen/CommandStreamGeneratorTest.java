package npuc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import npuc.CompileOptions;
import npuc.CompileResult;
import npuc.arch.Target;
import npuc.arch.TargetOptions;
import npuc.arch.Targets;
import npuc.graph.Activation;
import npuc.graph.Buffer;
import npuc.graph.BuiltinOperator;
import npuc.graph.BuiltinOptions;
import npuc.graph.ConstantData;
import npuc.graph.DataType;
import npuc.graph.Graph;
import npuc.graph.Operator;
import npuc.graph.OperatorCode;
import npuc.graph.Padding;
import npuc.graph.Quantization;
import npuc.graph.Subgraph;
import npuc.graph.Tensor;
import npuc.tflite.ModelBuilder;
import npuc.schedule.ScheduledSubgraph;

/** Command streams of networks the test builds: the registers of convolutions and of a cascade. */
class CommandStreamGeneratorTest {
    /** Two 3x3 same-padded convolutions, 8 → 16 → 8 channels, over a {@code size} x {@code size} int8 image. */
    static Graph twoConvolutions(int size) {
        return ModelBuilder.int8("two_convolutions").seed(3)
                .input(1, size, size, 8).quantization(0.05f, -3)
                .conv2d(16, 3, 3).padding(Padding.SAME).activation(Activation.RELU)
                .conv2d(8, 3, 3).padding(Padding.SAME).activation(Activation.RELU)
                .output().build();
    }

    private static CompileResult compile(Graph g, Target target) throws Exception {
        return npuc.Compiler.compile("two_convolutions", g, target, CompileOptions.defaults());
    }

    /** The register values in force at each kernel operation. */
    private static List<Map<NpuCommand, Integer>> kernelStates(List<Command> commands) {
        Map<NpuCommand, Integer> state = new HashMap<>();
        List<Map<NpuCommand, Integer>> out = new ArrayList<>();
        for (Command c : commands) {
            if (!c.command().isOperation()) {
                state.put(c.command(), c.command().hasPayload() ? c.payload() : c.param());
            } else if (c.command() == NpuCommand.NPU_OP_CONV) {
                out.add(new HashMap<>(state));
            }
        }
        return out;
    }

    @Test
    void convolutionRegistersFollowTheOperation() throws Exception {
        Target target = Targets.resolve(TargetOptions.of("ethos-u55-128", "Ethos_U55_High_End_Embedded",
                "Shared_Sram"));
        CompileResult r = compile(twoConvolutions(16), target);
        ScheduledSubgraph sg = r.schedule().subgraphs().get(0);
        SequentialPlacement placement = new SequentialPlacement();
        CommandStream stream = CommandStreamGenerator.generate(sg, target, placement);
        List<Command> commands = stream.commands();
        assertEquals(Command.of(NpuCommand.NPU_OP_STOP, 0xFFFF), commands.get(commands.size() - 1));

        List<Map<NpuCommand, Integer>> convs = kernelStates(commands);
        long stripes = HighLevelCommandStream.of(sg, target).stream()
                .filter(c -> c instanceof HighLevelCommand.NpuStripe).count();
        assertEquals(stripes, convs.size());
        Map<NpuCommand, Integer> first = convs.get(0);
        assertEquals(7, first.get(NpuCommand.NPU_SET_IFM_DEPTH_M1));
        assertEquals(2, first.get(NpuCommand.NPU_SET_KERNEL_HEIGHT_M1));
        assertEquals(2, first.get(NpuCommand.NPU_SET_KERNEL_WIDTH_M1));
        assertEquals(1, first.get(NpuCommand.NPU_SET_IFM_PAD_LEFT));
        assertEquals(1, first.get(NpuCommand.NPU_SET_IFM_PAD_RIGHT));
        // Signed 8-bit IFM; zero points as the tensors have them; relu clamps at the OFM zero point.
        assertEquals(1, first.get(NpuCommand.NPU_SET_IFM_PRECISION) & 0xF);
        assertEquals(-3 & 0xFFFF, first.get(NpuCommand.NPU_SET_IFM_ZERO_POINT));
        long ofmZeroPoint = sg.ops().get(0).op().ofm().tensor().quantization().zeroPoints().get(0);
        assertEquals((int) ofmZeroPoint & 0xFFFF, first.get(NpuCommand.NPU_SET_ACTIVATION_MIN));
        assertEquals(127, first.get(NpuCommand.NPU_SET_ACTIVATION_MAX));
        // The first operation depends on nothing before it.
        assertEquals(Command.of(NpuCommand.NPU_SET_BLOCKDEP, 0), commands.stream()
                .filter(c -> c.command() == NpuCommand.NPU_SET_BLOCKDEP).findFirst().orElseThrow());
        // The second convolution reads what the first wrote.
        Map<NpuCommand, Integer> last = convs.get(convs.size() - 1);
        assertEquals(15, last.get(NpuCommand.NPU_SET_IFM_DEPTH_M1));
        long ofm0 = placement.featureMap(sg.ops().get(0).op().ofm().tensor()).offset();
        assertEquals((int) ofm0, last.get(NpuCommand.NPU_SET_IFM_BASE0));

        byte[] payload = stream.payload();
        assertEquals(32 + 4 * stream.words().length, payload.length);
        assertEquals('C', payload[0]);
        assertEquals('1', payload[3]);
    }

    @Test
    void cascadedStripesWrapInTheirRollingBuffer() throws Exception {
        Target target = Targets.resolve(new TargetOptions("ethos-u55-128", "Ethos_U55_High_End_Embedded",
                "Shared_Sram", null, 24L * 1024));
        CompileResult r = compile(twoConvolutions(64), target);
        ScheduledSubgraph sg = r.schedule().subgraphs().get(0);
        assertTrue(!sg.cascades().isEmpty(), "a 24 KiB arena cascades the two convolutions");
        List<HighLevelCommand> hl = HighLevelCommandStream.of(sg, target);
        // The consumer's stripes interleave with the producer's.
        List<String> order = new ArrayList<>();
        for (HighLevelCommand c : hl) {
            if (c instanceof HighLevelCommand.NpuStripe s) {
                order.add(s.op().op().index() == 0 ? "p" : "c");
            }
        }
        String sequence = String.join("", order);
        assertTrue(sequence.startsWith("pp") && sequence.contains("pc") && sequence.contains("cp"), sequence);
        List<Command> commands = CommandStreamGenerator.generate(sg, target, new SequentialPlacement()).commands();
        // Somewhere a stripe of the rolling buffer crosses its end and reads a second tile.
        boolean wrapped = kernelStates(commands).stream().anyMatch(s -> s.getOrDefault(NpuCommand.NPU_SET_IFM_BASE2,
                0) != 0);
        assertTrue(wrapped, "no stripe wrapped around its rolling buffer");
    }

    @Test
    void misalignedWeightsAreRejectedWithTheOperation() throws Exception {
        Target target = Targets.resolve(TargetOptions.of("ethos-u55-128", "Ethos_U55_High_End_Embedded",
                "Shared_Sram"));
        ScheduledSubgraph sg = compile(twoConvolutions(16), target).schedule().subgraphs().get(0);
        SequentialPlacement aligned = new SequentialPlacement();
        MemoryPlacement shifted = new MemoryPlacement() {
            @Override
            public Address featureMap(npuc.frontend.FrontEndResult.TensorInfo tensor) {
                return aligned.featureMap(tensor);
            }

            @Override
            public Address weights(npuc.schedule.SchedulerOperation op) {
                return aligned.weights(op).plus(8);
            }

            @Override
            public Address lookupTable(npuc.schedule.SchedulerOperation op) {
                return aligned.lookupTable(op);
            }

            @Override
            public Address weightBuffer(npuc.schedule.SchedulerOperation op, int index) {
                return aligned.weightBuffer(op, index).plus(8);
            }
        };
        CommandStreamException e = org.junit.jupiter.api.Assertions.assertThrows(CommandStreamException.class,
                () -> CommandStreamGenerator.generate(sg, target, shifted));
        assertTrue(e.getMessage().contains("not a multiple of 16 bytes, in operation"), e.getMessage());
    }

    @Test
    void transposeWritesWithHeightAndWidthStridesExchanged() throws Exception {
        List<Buffer> buffers = new ArrayList<>(List.of(Buffer.EMPTY));
        byte[] perm = new byte[16];
        int[] p = {0, 2, 1, 3};
        for (int i = 0; i < 4; i++) {
            perm[4 * i] = (byte) p[i];
        }
        buffers.add(new Buffer(ConstantData.copyOf(perm)));
        List<Tensor> t = List.of(
                new Tensor("input", List.of(1, 4, 6, 8), null, DataType.INT8, 0,
                        Quantization.perTensor(0.05f, 0), false, false),
                new Tensor("perm", List.of(4), null, DataType.INT32, 1, null, false, false),
                new Tensor("output", List.of(1, 6, 4, 8), null, DataType.INT8, 0,
                        Quantization.perTensor(0.05f, 0), false, false));
        Operator transpose = new Operator(0, List.of(0, 1), List.of(2), List.of(), new BuiltinOptions.Transpose(),
                null, List.of());
        Graph g = new Graph(3, "transpose", List.of(new OperatorCode(BuiltinOperator.TRANSPOSE.code(), null, 1)),
                List.of(new Subgraph("main", t, List.of(0), List.of(2), List.of(transpose))), buffers, List.of(),
                List.of());
        Target target = Targets.resolve(TargetOptions.of("ethos-u55-128", "Ethos_U55_High_End_Embedded",
                "Shared_Sram"));
        CompileResult r = compile(g, target);
        assertEquals(1, r.schedule().subgraphs().size(), "the transpose runs on the NPU");
        List<Command> commands = CommandStreamGenerator.generate(r.schedule().subgraphs().get(0), target,
                new SequentialPlacement()).commands();
        Map<NpuCommand, Integer> state = new HashMap<>();
        for (Command c : commands) {
            state.put(c.command(), c.command().hasPayload() ? c.payload() : c.param());
        }
        // Element (h, w) of the input lands at row w, column h of the [1, 6, 4, 8] output.
        assertEquals(8, state.get(NpuCommand.NPU_SET_OFM_STRIDE_Y));
        assertEquals(32, state.get(NpuCommand.NPU_SET_OFM_STRIDE_X));
        assertEquals(48, state.get(NpuCommand.NPU_SET_IFM_STRIDE_Y));
        assertEquals(8, state.get(NpuCommand.NPU_SET_IFM_STRIDE_X));
    }
}
