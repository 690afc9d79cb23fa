package npuc.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import npuc.SharedData;
import npuc.arch.Target;
import npuc.arch.TargetOptions;
import npuc.arch.Targets;
import npuc.frontend.FrontEnd;
import npuc.frontend.Shape4;
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
import npuc.tflite.TfliteReader;

class SchedulerTest {

    @Test
    void rollingBufferHoldsWholeConsumerStripesInBrickDepth() {
        Shape4 buffer = CascadeBuilder.rollingBufferShape(new Shape4(1, 2, 8, 24), new Shape4(1, 3, 6, 24));
        assertEquals(new Shape4(1, 6, 8, 32), buffer);
    }

    /** Three 3x3 convolutions on a 64x64 int8 image, 8 channels in and out, 32 between (128 KiB maps). */
    static Graph convChain() {
        int[] depth = {8, 32, 32, 8};
        List<Buffer> buffers = new ArrayList<>(List.of(Buffer.EMPTY));
        List<Tensor> t = new ArrayList<>();
        t.add(featureMap("input", depth[0]));
        List<Operator> ops = new ArrayList<>();
        for (int layer = 0; layer < 3; layer++) {
            int in = depth[layer];
            int out = depth[layer + 1];
            byte[] w = new byte[out * 3 * 3 * in];
            for (int i = 0; i < w.length; i++) {
                w[i] = (byte) ((i * 37 + layer * 11) % 23 - 11);
            }
            buffers.add(new Buffer(ConstantData.copyOf(w)));
            List<Float> scales = new ArrayList<>();
            List<Long> zeros = new ArrayList<>();
            for (int c = 0; c < out; c++) {
                scales.add(0.002f * (c + 1));
                zeros.add(0L);
            }
            t.add(new Tensor("w" + layer, List.of(out, 3, 3, in), null, DataType.INT8, buffers.size() - 1,
                    new Quantization(List.of(), List.of(), scales, zeros, 0), false, false));
            buffers.add(new Buffer(ConstantData.copyOf(new byte[out * 4])));
            t.add(new Tensor("b" + layer, List.of(out), null, DataType.INT32, buffers.size() - 1,
                    Quantization.perTensor(0.0001f, 0), false, false));
            t.add(featureMap(layer == 2 ? "output" : "fm" + layer, out));
            int ifm = layer == 0 ? 0 : t.size() - 4;
            ops.add(new Operator(0, List.of(ifm, t.size() - 3, t.size() - 2), List.of(t.size() - 1), List.of(),
                    new BuiltinOptions.Conv2D(Padding.SAME, 1, 1, Activation.NONE, 1, 1), null, List.of()));
        }
        Subgraph main = new Subgraph("main", t, List.of(0), List.of(t.size() - 1), ops);
        return new Graph(3, "conv chain", List.of(new OperatorCode(BuiltinOperator.CONV_2D.code(), null, 1)),
                List.of(main), buffers, List.of(), List.of());
    }

    private static Tensor featureMap(String name, int depth) {
        return new Tensor(name, List.of(1, 64, 64, depth), null, DataType.INT8, 0, Quantization.perTensor(0.05f, 0),
                false, false);
    }

    private static ScheduledSubgraph schedule(Graph model, String accelerator, String system, String memory,
            long arena, OptimizationStrategy strategy) throws Exception {
        Target target = Targets.resolve(new TargetOptions(accelerator, system, memory, null, arena));
        NetworkSchedule s = NetworkSchedule.of(FrontEnd.run(model, target.accelerator(), false), target, strategy,
                new OperationWeightEncoder(target.accelerator()));
        assertEquals(1, s.subgraphs().size());
        return s.subgraphs().get(0);
    }

    @Test
    void operationsRunWholeWhenTheFastestScheduleFits() throws Exception {
        ScheduledSubgraph sg = schedule(convChain(), "ethos-u55-128", "Ethos_U55_High_End_Embedded", "Shared_Sram",
                4L << 20, OptimizationStrategy.Performance);
        for (ScheduledOp op : sg.ops()) {
            assertEquals(0, op.schedule().cascade(), op.op().name());
            assertEquals(op.op().ofm().shape(), op.schedule().stripe());
        }
        // The two 128 KiB maps between the convolutions are live together.
        assertTrue(sg.peakUsage() >= 2 * 131072, "peak " + sg.peakUsage());
    }

    @Test
    void operationsAreCascadedInStripesWhenTheFeatureMapsDoNotFit() throws Exception {
        long arena = 100 * 1024;
        ScheduledSubgraph sg = schedule(convChain(), "ethos-u55-128", "Ethos_U55_High_End_Embedded", "Shared_Sram",
                arena, OptimizationStrategy.Performance);
        Map<Integer, List<ScheduledOp>> cascades = new HashMap<>();
        for (ScheduledOp op : sg.ops()) {
            if (op.schedule().cascade() != 0) {
                cascades.computeIfAbsent(op.schedule().cascade(), k -> new ArrayList<>()).add(op);
            }
        }
        assertEquals(1, cascades.size(), "one cascade of the whole chain");
        List<ScheduledOp> cascade = cascades.values().iterator().next();
        assertEquals(3, cascade.size());
        for (ScheduledOp op : cascade) {
            assertTrue(op.schedule().stripe().height() < 64, op.op().name() + " runs in stripes");
            // A cascade's operations share one time slot, so they see the same memory in use.
            assertEquals(cascade.get(0).memoryUsage(), op.memoryUsage());
        }
        // The 32 KiB input and output whole, rolling buffers of a few rows instead of the 128 KiB maps.
        assertTrue(sg.peakUsage() <= arena, "peak " + sg.peakUsage() + " within " + arena);
    }

    @Test
    void sharedWorkGivesTheSameResultsAsFreshWork() throws Exception {
        // A roomy session, and one so small that it evicts nearly everything it makes.
        for (npuc.CompileSession shared : List.of(npuc.CompileSession.create(), npuc.CompileSession.withLimit(4096))) {
            compileChainsWith(shared);
        }
    }

    @Test
    void aSessionAnswersRepeatedWorkAndCountsIt() throws Exception {
        npuc.CompileSession shared = npuc.CompileSession.create();
        compileChainsWith(shared);
        var stats = shared.statistics();
        assertEquals(List.of("front_end", "weight_volume", "encoded_weights", "block_config", "cycle_cost"),
                List.copyOf(stats.keySet()));
        // Three arena sizes on two accelerators: the front end is made once per accelerator, the rest reused.
        assertEquals(2, stats.get("front_end").misses());
        assertEquals(4, stats.get("front_end").hits());
        for (var s : stats.values()) {
            assertTrue(s.hits() > 0 && s.bytes() > 0, s.toString());
        }
    }

    private static void compileChainsWith(npuc.CompileSession shared) throws Exception {
        for (long arena : new long[] {100 * 1024, 4L << 20, 64 * 1024}) {
            for (String[] t : new String[][] {{"ethos-u55-128", "Ethos_U55_High_End_Embedded", "Shared_Sram"},
                    {"ethos-u65-256", "Ethos_U65_High_End", "Dedicated_Sram"}}) {
                Target target = Targets.resolve(new TargetOptions(t[0], t[1], t[2], null, arena));
                var fresh = npuc.Compiler.compile("chain", convChain(), target, npuc.CompileOptions.defaults());
                var reused = npuc.Compiler.compile("chain", convChain(), target, npuc.CompileOptions.defaults(),
                        shared);
                assertEquals(fresh.summary(), reused.summary(), t[0] + " at " + arena);
            }
        }
    }

    /** The reference's conv10 on U55-128: weights split [0, 16, 64] and double buffered, 57536 bytes at peak. */
    @Test
    void conv10WeightsAreDoubleBufferedInTwoSlices() throws Exception {
        Path model = SharedData.modelsDir().resolve("conv10.tflite");
        assumeTrue(Files.isRegularFile(model), "skipped: " + model + " is absent");
        ScheduledSubgraph sg = schedule(TfliteReader.read(Files.readAllBytes(model)), "ethos-u55-128",
                "Ethos_U55_High_End_Embedded", "Shared_Sram", TargetOptions.DEFAULT_ARENA_CACHE_SIZE,
                OptimizationStrategy.Performance);
        OpSchedule conv = sg.ops().get(0).schedule();
        assertEquals(List.of(0, 16, 64), conv.depthSlices());
        assertEquals(List.of(13072L, 39216L), conv.weightBuffers());
        assertEquals(52288, conv.weights().size());
        assertEquals(57536, sg.peakUsage());
    }
}
